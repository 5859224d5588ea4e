export const handler = async (event) => ({ esm: true, echo: event.echo });
