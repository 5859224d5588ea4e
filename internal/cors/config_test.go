package cors

import "testing"

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "empty is valid", cfg: Config{}},
		{name: "credentials with exact origins", cfg: Config{AllowOrigins: []string{"https://a.example"}, AllowCredentials: true}},
		{name: "credentials with scheme wildcard", cfg: Config{AllowOrigins: []string{"https://*"}, AllowCredentials: true}},
		{name: "credentials with *", cfg: Config{AllowOrigins: []string{"https://a.example", "*"}, AllowCredentials: true},
			wantErr: "allow-credentials is not supported if 'allow-origin' is *"},
		{name: "maxAge -1", cfg: Config{MaxAge: intp(-1)}},
		{name: "maxAge 86400", cfg: Config{MaxAge: intp(86400)}},
		{name: "maxAge -2", cfg: Config{MaxAge: intp(-2)}, wantErr: "maxAge -2 is not between -1 and 86400"},
		{name: "maxAge 86401", cfg: Config{MaxAge: intp(86401)}, wantErr: "maxAge 86401 is not between -1 and 86400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("%+v.Validate() = %q, want %q", tt.cfg, got, tt.wantErr)
			}
		})
	}
}
