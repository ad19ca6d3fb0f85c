import { reportOfCancelledCall } from "../../engine/call.js";
import type { ObservedEndpoint } from "../../observe/request-observer.js";
import { describeError } from "../error-response.js";
import type { GatewayContext } from "../gateway-context.js";
import type { Exchange } from "../http/exchange.js";
import type { ChatProtocol } from "../protocols/chat-protocol.js";
import { sendError } from "./error-response.js";
import { RequestTracker } from "./request-tracker.js";

/** The status recorded for a request whose client went away before its answer was complete. */
export const CLIENT_CLOSED_STATUS = 499;

/** What a route's wrapper needs of its client protocol: its name, and how its errors look. */
export type RouteProtocol = Pick<ChatProtocol, "name" | "renderError">;

/** A model route written against `Exchange`: served alike by the Hono app and the Node server. */
export interface ExchangeRoute {
  method: "POST";
  path: string;
  endpoint: ObservedEndpoint;
  /** The client protocol: every failure of the route is answered in it. */
  protocol: RouteProtocol;
  /** Admits and serves the request; anything it throws is the wrapper's to answer. */
  handle(exchange: Exchange, tracker: RequestTracker): Promise<void>;
}

/**
 * The one wrapper every model request goes through, on either transport: it starts the request's
 * tracker (the exchange carries the request id and reads the body within the limits, see `admit`),
 * and answers whatever the route throws in the route's own protocol, once, telling the observers.
 * A client that went away is recorded as status 499 (`client_closed`, logged as info, with the
 * attempts made for it), not as a failure of the gateway. Never rejects.
 */
export async function serveExchange(
  gateway: GatewayContext,
  route: ExchangeRoute,
  exchange: Exchange,
): Promise<void> {
  const tracker = new RequestTracker(gateway.observer, {
    requestId: exchange.requestId,
    endpoint: route.endpoint,
    protocol: route.protocol.name,
  });
  try {
    await route.handle(exchange, tracker);
  } catch (error) {
    if (exchange.signal.aborted) {
      clientClosed(gateway, exchange, tracker, error);
      return;
    }
    try {
      const rendered = route.protocol.renderError(describeError(error));
      const status = sendError(exchange, gateway, rendered, error, {
        model: tracker.model,
        client: tracker.client,
      });
      tracker.end(status, "error", error);
    } catch (failure) {
      gateway.logger.error(
        { requestId: exchange.requestId, error: failure instanceof Error ? failure.name : "" },
        "the error answer could not be sent",
      );
      tracker.end(500, "error", failure);
    }
  }
}

/** Records a request whose client left: status 499, with the attempts made before it left. */
export function clientClosed(
  gateway: GatewayContext,
  exchange: Exchange,
  tracker: RequestTracker,
  error: unknown,
): void {
  tracker.report ??= reportOfCancelledCall(error);
  gateway.logger.info(
    {
      requestId: exchange.requestId,
      model: tracker.model,
      client: tracker.client,
      status: CLIENT_CLOSED_STATUS,
    },
    "client closed the connection",
  );
  tracker.end(CLIENT_CLOSED_STATUS, "client_closed", error);
}
