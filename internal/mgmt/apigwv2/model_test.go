package apigwv2_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
)

const petSchema = `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Pet","type":"object",` +
	`"properties":{"name":{"type":"string"},"price":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}}}}`

func TestModelCRUD(t *testing.T) {
	e := newEnv(t)
	ws := e.createWSAPI("models")

	out, err := e.c.CreateModel(e.ctx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("Pet"), Schema: aws.String(petSchema),
		ContentType: aws.String("application/json"), Description: aws.String("a pet")})
	noErr(t, "CreateModel", err)
	const call = "CreateModel(Pet)"
	eq(t, call, "status", wireStatus(t, call, out.ResultMetadata), http.StatusCreated)
	if aws.ToString(out.ModelId) == "" {
		t.Fatalf("%s: modelId is empty", call)
	}
	eqp(t, call, "name", out.Name, "Pet")
	eqp(t, call, "schema", out.Schema, petSchema)
	eqp(t, call, "contentType", out.ContentType, "application/json")
	eqp(t, call, "description", out.Description, "a pet")

	got, err := e.c.GetModel(e.ctx, &apigatewayv2.GetModelInput{ApiId: ws.ApiId, ModelId: out.ModelId})
	noErr(t, "GetModel", err)
	eqp(t, "GetModel", "modelId", got.ModelId, *out.ModelId)
	eqp(t, "GetModel", "schema", got.Schema, petSchema)

	tpl, err := e.c.GetModelTemplate(e.ctx, &apigatewayv2.GetModelTemplateInput{ApiId: ws.ApiId, ModelId: out.ModelId})
	noErr(t, "GetModelTemplate", err)
	v := aws.ToString(tpl.Value)
	for _, want := range []string{"$input.path('$')", `"name"`, "$inputRoot.name", `"price"`, "$inputRoot.price", `"tags"`, "#foreach"} {
		if !strings.Contains(v, want) {
			t.Errorf("GetModelTemplate: template does not contain %q:\n%s", want, v)
		}
	}

	_, err = e.c.CreateModel(e.ctx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("Pet"), Schema: aws.String(`{"type":"object"}`)})
	wantConflict(t, "CreateModel(duplicate name)", err, "Model name already exists for this API: Pet")
	_, err = e.c.CreateModel(e.ctx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("Bad"), Schema: aws.String(`{not json`)})
	wantBadRequest(t, "CreateModel(invalid schema)", err, "Invalid model schema specified")
	_, err = e.c.CreateModel(e.ctx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("bad-name"), Schema: aws.String(`{}`)})
	wantBadRequest(t, "CreateModel(invalid name)", err, "Model name bad-name is invalid")

	other, err := e.c.CreateModel(e.ctx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("Order"), Schema: aws.String(`{"type":"object"}`)})
	noErr(t, "CreateModel(Order)", err)

	// Partial update keeps the schema; renaming onto another model's name conflicts.
	up, err := e.c.UpdateModel(e.ctx, &apigatewayv2.UpdateModelInput{ApiId: ws.ApiId, ModelId: out.ModelId, Description: aws.String("a cute pet")})
	noErr(t, "UpdateModel(description)", err)
	eqp(t, "UpdateModel(description)", "modelId", up.ModelId, *out.ModelId)
	eqp(t, "UpdateModel(description)", "description", up.Description, "a cute pet")
	eqp(t, "UpdateModel(description)", "schema", up.Schema, petSchema)
	eqp(t, "UpdateModel(description)", "name", up.Name, "Pet")
	_, err = e.c.UpdateModel(e.ctx, &apigatewayv2.UpdateModelInput{ApiId: ws.ApiId, ModelId: other.ModelId, Name: aws.String("Pet")})
	wantConflict(t, "UpdateModel(rename onto Pet)", err, "Pet")

	list, err := e.c.GetModels(e.ctx, &apigatewayv2.GetModelsInput{ApiId: ws.ApiId})
	noErr(t, "GetModels", err)
	if len(list.Items) != 2 || aws.ToString(list.Items[0].Name) != "Pet" || aws.ToString(list.Items[1].Name) != "Order" {
		t.Errorf("GetModels: got %d items, want Pet, Order", len(list.Items))
	}

	del, err := e.c.DeleteModel(e.ctx, &apigatewayv2.DeleteModelInput{ApiId: ws.ApiId, ModelId: out.ModelId})
	noErr(t, "DeleteModel", err)
	eq(t, "DeleteModel", "status", wireStatus(t, "DeleteModel", del.ResultMetadata), http.StatusNoContent)
	_, err = e.c.GetModel(e.ctx, &apigatewayv2.GetModelInput{ApiId: ws.ApiId, ModelId: out.ModelId})
	wantNotFound(t, "GetModel(deleted)", err, "Invalid Model identifier specified 000000000000:"+*out.ModelId)
	_, err = e.c.GetModelTemplate(e.ctx, &apigatewayv2.GetModelTemplateInput{ApiId: ws.ApiId, ModelId: out.ModelId})
	wantNotFound(t, "GetModelTemplate(deleted)", err, "Invalid Model identifier specified")

	// The name is free again.
	_, err = e.c.CreateModel(e.ctx, &apigatewayv2.CreateModelInput{ApiId: ws.ApiId, Name: aws.String("Pet"), Schema: aws.String(`{"type":"object"}`)})
	noErr(t, "CreateModel(Pet again)", err)
}
