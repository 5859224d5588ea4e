exports.handler = async (event, context) => {
  console.log('node got', JSON.stringify(event));
  if (event.errorName) { const e = new Error('named'); e.name = event.errorName; throw e; }
  if (event.error) throw new Error(event.error);
  if (event.big) return { big: 'x'.repeat(event.big) };
  return { echo: event.echo, requestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis() > 0, pid: process.pid, trace: process.env._X_AMZN_TRACE_ID };
};
exports.callback = (event, context, callback) => {
  setTimeout(() => {
    if (event.error) callback(new TypeError(event.error));
    else callback(null, { echo: event.echo, style: 'callback' });
  }, 1);
};
