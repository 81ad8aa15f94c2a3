// Typed access to the webview's host channel.
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(msg: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToHost(msg: WebviewToHost): void {
  api.postMessage(msg);
}

/** Listens to the host. Each view passes the union of the messages it gets (ToOverview, ToTimeline, …). */
export function onHostMessage<T extends HostToWebview = HostToWebview>(handler: (msg: T) => void): void {
  window.addEventListener('message', (event: MessageEvent<T>) => handler(event.data));
}
