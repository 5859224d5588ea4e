// Package apigw provides the variables API Gateway gives mapping templates:
// $input, $util, $context (with requestOverride and responseOverride) and
// $stageVariables, per the "Variables for data transformations" page of the
// API Gateway Developer Guide.
//
//	vars, ov := apigw.Vars(apigw.Data{Body: body, Params: params, Context: ctxMap})
//	out, err := tpl.Render(ctx, vars)
//	// ov.RequestHeaders(), ov.Status(), ... after the render
//
// Every value built here belongs to one render: build new Vars per request.
package apigw
