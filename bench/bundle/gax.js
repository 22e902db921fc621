// Browser bundle entry: google-gax's REST fallback OperationsClient.
import gax from 'google-gax/fallback';

export function cancel(auth, servicePath, name) {
  return gax.lro({ auth, fallback: true }).operationsClient({ servicePath }).cancelOperation({ name });
}
