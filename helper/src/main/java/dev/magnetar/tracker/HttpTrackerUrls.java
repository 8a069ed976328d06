package dev.magnetar.tracker;

import dev.magnetar.metainfo.InfoHash;
import io.netty.util.NetUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Builds announce and scrape URLs for HTTP trackers (BEP 3, BEP 23 compact, BEP 48 scrape). */
public final class HttpTrackerUrls {

    private HttpTrackerUrls() {}

    /** Rejects anything but an absolute http/https URL with a host. */
    public static void requireHttp(URI tracker) throws UnsupportedTrackerUrlException {
        String scheme = tracker.getScheme() == null ? "" : tracker.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UnsupportedTrackerUrlException(tracker, "only http and https trackers are spoken over HTTP");
        }
        if (tracker.getHost() == null || tracker.getHost().isEmpty()) {
            throw new UnsupportedTrackerUrlException(tracker, "no host");
        }
        if (tracker.getRawFragment() != null) {
            throw new UnsupportedTrackerUrlException(tracker, "a tracker URL has no #fragment");
        }
    }

    /**
     * The announce URL: the tracker's own query (e.g. a private tracker's passkey) kept as it is, our
     * parameters appended. {@code compact=1} asks for BEP 23 peers; {@code no_peer_id} saves bytes for
     * trackers that still send dictionaries.
     */
    public static URI announce(URI tracker, AnnounceRequest r) {
        StringBuilder q = new StringBuilder();
        q.append("info_hash=").append(PercentEncoding.encode(r.infoHash().bytes()));
        q.append("&peer_id=").append(PercentEncoding.encode(r.peerId()));
        q.append("&port=").append(r.port());
        q.append("&uploaded=").append(r.uploaded());
        q.append("&downloaded=").append(r.downloaded());
        q.append("&left=").append(r.left());
        q.append("&compact=1&no_peer_id=1");
        if (r.event() != AnnounceEvent.NONE) {
            q.append("&event=").append(r.event().httpValue());
        }
        if (r.numWant() >= 0) {
            q.append("&numwant=").append(r.numWant());
        }
        if (r.key() != null && !r.key().isEmpty()) {
            q.append("&key=").append(PercentEncoding.encode(r.key().getBytes(StandardCharsets.UTF_8)));
        }
        if (r.ipv6() != null) {
            // BEP 7; libtorrent sends the bare address too (no port: the port is the one above).
            q.append("&ipv6=").append(PercentEncoding.encode(
                    NetUtil.toAddressString(r.ipv6()).getBytes(StandardCharsets.US_ASCII)));
        }
        return withQuery(tracker, q.toString());
    }

    /**
     * The scrape URL by the BEP 48 convention: the last path segment must start with "announce", which
     * is replaced by "scrape"; otherwise the tracker does not support scrape.
     */
    public static URI scrape(URI tracker, List<InfoHash> infoHashes) throws UnsupportedTrackerUrlException {
        String path = tracker.getRawPath() == null ? "" : tracker.getRawPath();
        int slash = path.lastIndexOf('/');
        String last = path.substring(slash + 1);
        if (!last.startsWith("announce")) {
            throw new UnsupportedTrackerUrlException(tracker, "no scrape URL: the path does not end in /announce (BEP 48)");
        }
        String scrapePath = path.substring(0, slash + 1) + "scrape" + last.substring("announce".length());
        StringBuilder q = new StringBuilder();
        for (InfoHash h : infoHashes) {
            if (q.length() > 0) {
                q.append('&');
            }
            q.append("info_hash=").append(PercentEncoding.encode(h.bytes()));
        }
        URI base = URI.create(tracker.getScheme() + "://" + tracker.getRawAuthority() + scrapePath
                + (tracker.getRawQuery() == null ? "" : "?" + tracker.getRawQuery()));
        return withQuery(base, q.toString());
    }

    private static URI withQuery(URI tracker, String ours) {
        // requireHttp rejected fragments, so the URL ends with its query, if it has one.
        String s = tracker.toString();
        if (tracker.getRawQuery() == null) {
            return URI.create(s + "?" + ours);
        }
        return URI.create(s.endsWith("?") || s.endsWith("&") ? s + ours : s + "&" + ours);
    }
}
