package dev.magnetar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.magnetar.api.ApiEvent;
import dev.magnetar.engine.EngineEvent;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kind of event has one producer in the product code, so a client never gets the same news twice
 * from two places (two progress tickers once sent every torrent_updated twice a second): the engine
 * makes each engine event in one class, and the API makes each WebSocket event about torrents in
 * one class from those.
 */
class OneEventProducerTest {

    private static JavaClasses product;

    @BeforeAll
    static void importProductClasses() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.magnetar");
    }

    @Test
    void progressIsMadeInOneEngineClass() {
        assertEquals(1, producersOf(EngineEvent.ProgressUpdated.class).size(), producersOf(EngineEvent.ProgressUpdated.class).toString());
    }

    @Test
    void everyEngineEventIsMadeInOneClass() {
        for (Class<?> kind : EngineEvent.class.getPermittedSubclasses()) {
            Set<String> producers = producersOf(kind);
            assertEquals(1, producers.size(), kind.getSimpleName() + " is made in " + producers);
        }
    }

    @Test
    void torrentEventsOnTheWebSocketAreMadeOnlyFromEngineEvents() {
        for (Class<?> kind : new Class<?>[] {ApiEvent.TorrentAdded.class, ApiEvent.TorrentUpdated.class,
                ApiEvent.TorrentStateChanged.class, ApiEvent.TorrentRemoved.class, ApiEvent.MetadataReceived.class,
                ApiEvent.PieceFailed.class, ApiEvent.PeerBanned.class}) {
            assertEquals(Set.of("dev.magnetar.api.EngineEventMapping"), producersOf(kind), kind.getSimpleName());
        }
    }

    /** The top-level classes that call a constructor of {@code kind} (a lambda or nested class counts for its outer class). */
    private static Set<String> producersOf(Class<?> kind) {
        JavaClass target = product.get(kind);
        Set<String> producers = new TreeSet<>();
        target.getConstructorCallsToSelf().forEach(call -> {
            String owner = call.getOriginOwner().getName();
            int nested = owner.indexOf('$');
            producers.add(nested < 0 ? owner : owner.substring(0, nested));
        });
        return producers;
    }
}
