package dev.magnetar.webseed;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks one BEP 19 {@code url-list} entry. Only {@code http} and {@code https} are used: BEP 19 also
 * names FTP, which Magnetar (like libtorrent) does not speak, and any other scheme ({@code file:},
 * {@code javascript:}) would let a .torrent make the helper read what it should not.
 */
public final class WebSeedUrl {

    private WebSeedUrl() {}

    /** The entry as an absolute http(s) URI with a host; refused with the reason otherwise. */
    public static URI parse(String entry) throws WebSeedRefusedException {
        String text = entry.strip();
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            text = text.substring(0, fragment); // never sent to a server
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new WebSeedRefusedException("web seed \"" + entry + "\" is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new WebSeedRefusedException("web seed \"" + entry + "\" uses "
                    + (scheme.isEmpty() ? "no scheme" : "the scheme " + scheme + ":")
                    + "; Magnetar downloads from http and https web seeds only");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new WebSeedRefusedException("web seed \"" + entry + "\" has no host (or carries a user name)");
        }
        return uri;
    }
}
