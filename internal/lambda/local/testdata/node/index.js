exports.handler = async (event, context) => {
  console.log('node got', JSON.stringify(event));
  if (event.errorName) { const e = new Error('named'); e.name = event.errorName; throw e; }
  if (event.error) throw new Error(event.error);
  return { echo: event.echo, requestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis() > 0 };
};
exports.callback = (event, context, callback) => {
  setTimeout(() => {
    if (event.error) callback(new TypeError(event.error));
    else callback(null, { echo: event.echo, style: 'callback' });
  }, 1);
};
