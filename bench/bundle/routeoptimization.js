// Browser bundle entry: @googlemaps/routeoptimization in REST fallback mode,
// given the fallback gax as its documentation advises for browsers.
import { RouteOptimizationClient } from '@googlemaps/routeoptimization';
import gax from 'google-gax/fallback';

export function cancel(auth, name) {
  return new RouteOptimizationClient({ auth, fallback: true }, gax).operationsClient.cancelOperation({ name });
}
