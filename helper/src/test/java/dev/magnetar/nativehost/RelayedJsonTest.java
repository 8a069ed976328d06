package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The relay hands the API's JSON on as written: no field dropped, renamed or re-encoded; a wrong outline is refused. */
class RelayedJsonTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void torrentsArrayIsRelayedByteForByteIncludingFieldsThisHostDoesNotKnow() throws IOException {
        String torrents = "[{\"infoHash\":\"ab\",\"name\":\"caf\u00e9 \\u00e9\",\"ratio\":1.50e3,\"addedInAFutureVersion\":{\"x\":[1,2]}},"
                + " {\"infoHash\":\"cd\"}]";
        String body = "{\"before\":{\"torrents\":\"not this one\"},\"torrents\":" + torrents + ",\"after\":[]}";
        assertEquals(torrents, RelayedJson.arrayField(utf8(body), "torrents").rawValue());
    }

    @Test
    void oneTorrentObjectIsRelayedWhole() throws IOException {
        String torrent = "{ \"infoHash\" : \"ab\", \"state\":\"downloading\", \"unknown\": null }\n";
        assertEquals(torrent, RelayedJson.object(utf8(torrent)).rawValue());
    }

    @Test
    void anAnswerWithoutTheExpectedOutlineIsRefusedWithTheReason() {
        IOException notArray = assertThrows(IOException.class, () -> RelayedJson.arrayField(utf8("{\"torrents\":\"none\"}"), "torrents"));
        assertTrue(notArray.getMessage().contains("\"torrents\""), notArray.getMessage());
        IOException missing = assertThrows(IOException.class, () -> RelayedJson.arrayField(utf8("{\"other\":[]}"), "torrents"));
        assertTrue(missing.getMessage().contains("no \"torrents\""), missing.getMessage());
        assertThrows(IOException.class, () -> RelayedJson.arrayField(utf8("[]"), "torrents"));
        assertThrows(IOException.class, () -> RelayedJson.arrayField(utf8("{\"torrents\":[1,"), "torrents"), "truncated");
        assertThrows(IOException.class, () -> RelayedJson.object(utf8("[{}]")));
        assertThrows(IOException.class, () -> RelayedJson.object(utf8("{} {}")), "trailing content");
        assertThrows(IOException.class, () -> RelayedJson.object(utf8("")));
    }
}
