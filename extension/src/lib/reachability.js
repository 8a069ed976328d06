// One line for the popup: can peers outside dial us? From the helper's GET /api/v1/network
// (protocol-spec/http-api.yaml, NetworkStatus): the peer port and what the router's port mapping made of it.

const METHODS = { pcp: 'PCP', 'nat-pmp': 'NAT-PMP', upnp: 'UPnP' };

/** { text, ok } for a NetworkStatus; ok is true only when a router forwards the port. */
export function reachability(network) {
  const port = network?.peerPort;
  const m = network?.portMapping;
  if (!m || !port) return { text: '', ok: false };
  switch (m.state) {
    case 'mapped': {
      const where = m.externalAddress ? `${m.externalAddress}:${m.externalTcpPort}` : `port ${m.externalTcpPort}`;
      return { text: `Reachable from outside at ${where} (router port forwarded by ${METHODS[m.method] ?? m.method}).`, ok: true };
    }
    case 'searching':
      return { text: `Asking the router to forward peer port ${port}…`, ok: false };
    case 'failed':
      return { text: `Peer port ${port} is not forwarded: ${m.message ?? 'the router did not answer'}.`, ok: false };
    default:
      return { text: `Peer port ${port}; port mapping off${m.message ? ` (${m.message})` : ''}.`, ok: false };
  }
}
