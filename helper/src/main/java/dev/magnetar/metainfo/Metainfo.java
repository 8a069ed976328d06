package dev.magnetar.metainfo;

import java.util.List;

/**
 * A parsed .torrent file: the info dictionary plus what sits around it.
 *
 * @param announceTiers BEP 12 tiers of tracker URLs; a lone "announce" becomes one tier of one
 * @param webSeeds BEP 19 url-list entries, as the torrent lists them (the engine fetches from the http(s) ones)
 * @param comment free text, or null
 * @param createdBy free text, or null
 * @param creationDate seconds since the epoch, or null
 */
public record Metainfo(
        TorrentInfo info,
        List<List<String>> announceTiers,
        List<String> webSeeds,
        String comment,
        String createdBy,
        Long creationDate) {

    public Metainfo {
        announceTiers = announceTiers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
    }
}
