package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ChildJvm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {

    private static List<String> trimFor(String version) {
        return JvmFlags.trimNativeHeap(Runtime.Version.parse(version));
    }

    @Test
    void nativeHeapTrimmingOnlyOnJvmsThatKnowTheFlag() {
        List<String> trim = List.of("-XX:+UnlockExperimentalVMOptions",
                "-XX:TrimNativeHeapInterval=" + JvmFlags.TRIM_NATIVE_HEAP_MILLIS, "-D" + JvmFlags.JVM_TRIMS_NATIVE_HEAP_PROPERTY + "=true");
        for (String known : List.of("17.0.9", "17.0.15+6", "21.0.1", "21.0.5", "22", "25.0.1")) {
            assertEquals(trim, trimFor(known), known);
        }
        for (String unknown : List.of("17", "17.0.8", "18.0.2", "19", "20.0.1", "21", "21+35")) {
            assertEquals(List.of(), trimFor(unknown), unknown + " would refuse to start with an unknown flag");
        }
    }

    @Test
    void thisJvmStartsWithTheDaemonsFlags() throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>(JvmFlags.HELPER);
        flags.addAll(JvmFlags.trimNativeHeap(Runtime.version()));
        String out = ChildJvm.outputOf(flags, "-version");
        assertTrue(out.contains("version"), out);
    }

    @Test
    void bothNettyAllocatorsOfTheDaemonCarveOneMiBChunks() throws IOException, InterruptedException {
        String out = ChildJvm.outputOf(JvmFlags.HELPER, NettyChunkProbe.class);
        assertTrue(out.contains("engine 1048576"), out);
        assertTrue(out.contains("grpc 1048576"), out);
    }

    @Test
    void grpcsNettyPoolsNothingWhileTheEnginesKeepsItsArenas() throws IOException, InterruptedException {
        String out = ChildJvm.outputOf(JvmFlags.HELPER, NettyChunkProbe.class);
        assertTrue(out.contains("grpc arenas 0 0"), out);
        assertTrue(out.matches("(?s).*engine arenas [1-9].*"), "the engine's peer traffic keeps its pool: " + out);
    }

    @Test
    void theDaemonsThreadsKeepNoTemporaryDirectBufferAboveADiskWritesChunk() throws IOException, InterruptedException {
        String defaults = ChildJvm.outputOf(List.of(), TemporaryDirectBufferProbe.class);
        assertTrue(defaults.contains("kept after a 80 KiB write: 81920"), "the JDK's default caches it, so this can fail: " + defaults);
        String out = ChildJvm.outputOf(JvmFlags.HELPER, TemporaryDirectBufferProbe.class);
        assertTrue(out.contains("kept after a 32 KiB write: 32768"), "the disk's write chunk keeps its buffer: " + out);
        assertTrue(out.contains("kept after a 80 KiB write: 0"), out);
    }

    @Test
    void theDaemonsCodeCacheIsBoundedAndFlushedWhenCold() throws IOException, InterruptedException {
        String out = ChildJvm.outputOf(JvmFlags.HELPER, "-XX:+PrintFlagsFinal", "-version");
        assertEquals(String.valueOf(20L << 20), flag(out, "ReservedCodeCacheSize"), out);
        assertEquals("false", flag(out, "SegmentedCodeCache"), "one segment reuses what the sweeper frees");
        assertEquals("true", flag(out, "UseCodeCacheFlushing"), "cold code must be flushed, not kept");
    }

    @Test
    void theDaemonsC2InlinesLessThanTheDefaults() throws IOException, InterruptedException {
        String defaults = ChildJvm.outputOf(List.of(), "-XX:+PrintFlagsFinal", "-version");
        String out = ChildJvm.outputOf(JvmFlags.HELPER, "-XX:+PrintFlagsFinal", "-version");
        // Each bound below this JVM's own default, so C2's inlined trees on the download path get smaller.
        for (String name : List.of("FreqInlineSize", "MaxInlineLevel", "InlineSmallCode")) {
            long ours = Long.parseLong(flag(out, name));
            long theirs = Long.parseLong(flag(defaults, name));
            assertTrue(ours > 0 && ours < theirs, name + " " + ours + " against the default " + theirs);
        }
        assertEquals(String.valueOf(JvmFlags.HOT_INLINE_BYTES), flag(out, "FreqInlineSize"), out);
        assertEquals(String.valueOf(JvmFlags.MAX_INLINE_DEPTH), flag(out, "MaxInlineLevel"), out);
        assertEquals(String.valueOf(JvmFlags.INLINE_SMALL_CODE_BYTES), flag(out, "InlineSmallCode"), out);
    }

    @Test
    void aDownloadsPieceArraysGoToTheOldGenerationWhichGrowsInFewFullCollections() throws IOException, InterruptedException {
        String out = ChildJvm.outputOf(JvmFlags.HELPER, PieceHeapProbe.class);
        assertTrue(out.contains("old generation grew by " + ((1 << 20) + 16) + " bytes for the first piece"),
                "a piece array must not be copied out of the young generation by every minor collection:\n" + out);
        // With 10 % free after each full collection (the idle share), holding 40 pieces took 7 full collections.
        int full = Integer.parseInt(out.replaceAll("(?s).*collector MarkSweepCompact (\\d+).*", "$1"));
        assertTrue(full <= 4, full + " full collections to grow the heap by " + PieceHeapProbe.PIECES + " pieces:\n" + out);
    }

    @Test
    void theHelperListsAFewHundredLocalesNotTheThousandOfTheJdksLocaleData() throws IOException, InterruptedException {
        List<String> german = new ArrayList<>(JvmFlags.HELPER);
        german.addAll(List.of("-Duser.language=de", "-Duser.country=DE"));
        String out = ChildJvm.outputOf(german, LocaleProbe.class);
        int locales = Integer.parseInt(out.replaceAll("(?s).*locales (\\d+).*", "$1"));
        // The JDK's CLDR data (jdk.localedata) lists ~1,000, which Jetty's MimeTypes parses at every start.
        assertTrue(locales > 0 && locales < 300, locales + " locales:\n" + out);
        // What the helper writes names its locale (Locale.ROOT and the like) and reads the same either way.
        assertTrue(out.contains("root formats 1,234.5"), out);
    }

    private static String flag(String printFlagsFinal, String name) {
        for (String line : printFlagsFinal.split("\\R")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 4 && words[1].equals(name) && words[2].equals("=")) {
                return words[3];
            }
        }
        throw new AssertionError(name + " is not among the JVM's flags");
    }
}
