package dev.magnetar.util;

import java.util.List;
import java.util.Map;

/**
 * The JVM flags Magnetar's own launchers start Java with. An executable jar's manifest cannot carry
 * JVM flags, so {@code java -jar magnetar.jar} gets the JVM's ergonomics, which size the heap from the
 * machine (a quarter of RAM, G1 with its bookkeeping): on a 24 GiB machine that let a 1 GiB download
 * reach 600 MiB–1 GiB resident for a live set of a few tens of MiB. The launchers we write — the
 * installer's scripts and the native host starting the daemon — pass these instead. Figures behind
 * each choice: bench/README.md.
 */
public final class JvmFlags {

    private JvmFlags() {}

    /**
     * Netty's pooled allocator carves its buffers from chunks of 8 KiB pages × 2^maxOrder (4 MiB by
     * default) and keeps, in each arena, the newest chunk that never got a quarter full, for the life of the
     * process: after a download, each arena of the engine's Netty and of gRPC's own (shaded, configured by
     * its own property names) holds one, idle or not. 1 MiB chunks: a daemon idle after one download,
     * seeding and boost held 6.5 MiB of direct memory instead of 12.5 (NMT, bench/soak); buffers above
     * 1 MiB, which the engine does not use, are allocated unpooled.
     */
    static final int NETTY_MAX_ORDER = 7;
    static final String NETTY_MAX_ORDER_PROPERTY = "io.netty.allocator.maxOrder";
    static final String GRPC_NETTY_MAX_ORDER_PROPERTY = "io.grpc.netty.shaded.io.netty.allocator.maxOrder";

    /**
     * gRPC's shaded Netty without pooled arenas: its buffers are allocated and freed one by one. gRPC carries
     * only the TRON chain's calls — to the embedded devnet over loopback, or to a node — a few small messages a
     * second at most, where a pool saves nothing; but each of its arenas that a gRPC thread touched kept a chunk
     * for the life of the process. NMT's "Other" (direct memory) at the idle after a first cycle with the chain:
     * 6.4 MiB pooled, 2.4 MiB without (bench/README.md); the engine's own Netty keeps its pool.
     */
    static final String GRPC_NETTY_DIRECT_ARENAS_PROPERTY = "io.grpc.netty.shaded.io.netty.allocator.numDirectArenas";
    static final String GRPC_NETTY_HEAP_ARENAS_PROPERTY = "io.grpc.netty.shaded.io.netty.allocator.numHeapArenas";

    /**
     * The largest temporary direct buffer a thread keeps. The JDK writes (and reads) a heap buffer through a direct
     * copy and caches that copy on the thread, as large as the largest write it has done, for as long as the thread
     * lives ({@code sun.nio.ch.Util}): the API's JSON responses (tens of KiB for a list of a hundred torrents) left one
     * such buffer on each of Jetty's threads, and the session list's and the devnet's writers theirs, all native
     * memory outside the heap that an idle daemon kept (a heap dump at a soak's final idle: 24 of them, 1.3 MiB, most
     * 60–90 KiB on Jetty's threads; bench/README.md). Above this size the copy is freed after each write. 32 KiB: the
     * disk's writes ({@code storage.DiskIo}'s chunk, the download path) still reuse theirs; a recheck's 256 KiB reads
     * allocate theirs per read.
     */
    static final String MAX_CACHED_TEMPORARY_DIRECT_BUFFER = "-Djdk.nio.maxCachedBufferSize=" + (32 * 1024);

    /**
     * The JIT's code cache: 240 MiB reserved by default, split in three segments (JEP 197), each growing
     * as code is compiled into it and never giving memory back — freed code leaves its pages committed
     * and resident. And the sweeper of JDK 17 ({@code UseCodeCacheFlushing}, on by default) judges
     * code cold against how full the cache is: a reset value of twice the reserved MiB and a threshold
     * from the free ratio, so in a 240 MiB cache holding 30 MiB nothing unused is ever flushed, and a
     * daemon left running kept compiling new code for paths that got hot over hundreds of cycles (NMT:
     * +8 MiB of code between warm idle and the 12th cycle, bench/README.md). One segment (the JVM segments
     * only caches of 240 MiB and more): the sweeper flushes code not used for a while and the cache reuses
     * the space, so what the daemon commits for code stays bounded; compilation pauses only while a full
     * cache is swept, never stops. 20 MiB rather than 32: a daemon holds ~13 MiB of code once it has
     * downloaded, seeded and filed a boost, and with 32 MiB nothing of it was cold enough to flush while the
     * cache kept growing with code for paths that got hot over later cycles — all of it live (the code
     * cache's used MiB equal to its high water). bench/soak with a wallet, two daemons side by side (load
     * 25–40): code from the warm to the final idle +6.3 MiB with 32, +1.7 with 20, the final idle RSS +9 % and
     * +6 % of the warm idle, cycles 7.0 and 7.1 s (33–37 cycles; before the inlining flags above, 13 cycles:
     * +8.3 and +3.0 MiB, +10 % and +4 %). The download path is compiled in the first download and stays hot:
     * bench/daemon, 6 × 256 MiB with a 20 MiB daemon beside a 32 MiB one, paired 1.21 (0.92–1.75) in its favour.
     */
    static final String CODE_CACHE_MIB = "20";

    /**
     * Reflection without a class per reflected method. JDK 17 calls a method or constructor reached through
     * reflection natively for its first 15 calls, then generates a bytecode accessor for it, each in a class
     * loader of its own ({@code jdk.internal.reflect.GeneratedMethodAccessor}, "inflation"). Jackson writes every
     * API record through its accessors and reads it through its canonical constructor, and protobuf and the JCA
     * reach their classes the same way: a daemon held hundreds of these loaders after its first download, and
     * about a hundred more once rarer paths had crossed the threshold in the next cycles (bench/README.md).
     * Above any count reached, the call stays native: some hundred nanoseconds more per call, on paths that run
     * at most thousands of times a second (the torrent list's JSON is cached while nothing changes). JDK 18 and
     * later reflect through method handles (JEP 416) and ignore the property.
     */
    static final String NO_REFLECTION_ACCESSOR_CLASSES = "-Dsun.reflect.inflationThreshold=" + Integer.MAX_VALUE;

    /**
     * The JDK's own locale data for the few locales it carries in {@code java.base} (English and the root locale)
     * instead of CLDR's ~1,000 locales from {@code jdk.localedata}: with only the SPI provider named, the JVM falls back
     * to its built-in adapter ({@code java.util.spi.LocaleServiceProvider}, "java.locale.providers"). Jetty's
     * {@code MimeTypes}, which every {@code Server} builds, lists every locale the JVM has in its static initialiser,
     * and Jackson's date format asks the calendar data of the default locale: each parsed the 1,017 CLDR language tags
     * into {@code Locale}s on a cold JVM, and C1 and C2 then compiled the parser, all before the API answered (async-profiler
     * and -XX:+PrintCompilation, bench/README.md). The helper formats nothing in the user's locale — what it writes names
     * {@code Locale.ROOT}, {@code ENGLISH} or {@code US} — and the .deb's jlink runtime has no {@code jdk.localedata}
     * at all. {@code bench/api --startup-only} with and without it, 6 alternating rounds (load 4.7–5.5, the daemon at
     * real-time priority 1 so that neighbours' load does not decide): CPU to ready 1.10 → 1.00 s (5 of 6 rounds −0.12 to
     * −0.14 s), API ready 698 → 662 ms (medians).
     */
    static final String FEW_LOCALES = "-Djava.locale.providers=SPI";

    /**
     * A download's piece buffers (one array per piece being assembled or waiting for its check and write,
     * 1 MiB for most torrents: {@code engine.PieceBufferPool}) are allocated straight in the old
     * generation. Serial otherwise puts them in a young generation a few MiB large, and every minor
     * collection during a download found tens of them alive and copied them, MiB by MiB, to the old
     * generation: in bench/daemon (512 MiB, load 13–22) 4–10 minor collections per download took 130–890 ms
     * of pauses, most of the VM thread's CPU. Arrays this large live as long as a piece takes, or for the
     * engine's next downloads in its shared pool: they were never going to die young. 512 KiB: smaller pieces (256 KiB) are
     * rarely downloaded at speed, and nothing else the helper allocates is this large.
     */
    static final String PRETENURE_BYTES = "512k";

    /**
     * C2 inlines less: call sites inline hot methods of at most {@link #HOT_INLINE_BYTES} bytes of bytecode (not
     * 325), {@link #MAX_INLINE_DEPTH} calls deep (not 15), and no callee already compiled to more than
     * {@link #INLINE_SMALL_CODE_BYTES} bytes of machine code (not 2,500). The download path is Netty's pipeline and
     * allocator under the engine's message handling: with the defaults C2 folded 7–9 KB of bytecode into each of
     * {@code epollInReady}, {@code PeerConnection.receive}, {@code RequestBatch.encode} and {@code PoolArena.allocate},
     * and since each of those crosses C2's threshold only after thousands of calls, a fresh daemon compiled them
     * one after another through its first downloads: C2 was the daemon's largest CPU user, 2.0–2.3 s in the first
     * 1 GiB download and 0.8–2.0 s in each of the next three (bench/daemon, -XX:+LogCompilation), on the two
     * cores the download and its seeder share. The bytes themselves are moved by intrinsics and the kernel
     * (SHA-1/SHA-256, copies, socket and file I/O), which inlining does not change. Measured in alternating
     * rounds of bench/daemon --vs-java-opts (1 GiB × 5, load 15–35, bench/README.md): 325/15/2,500 → 100/9:
     * compiler threads 6.90 → 3.44 s over the run, daemon CPU 19.5 → 15.3 s, the event loop's 4.26 → 3.82 s,
     * peak RSS 167 → 137 MiB (C2's arenas); 100/9 → 50/6/1,000: compiler threads 3.82 → 2.47 s, event loop
     * 3.90 → 4.01 s, peak RSS 149 → 132 MiB.
     */
    static final int HOT_INLINE_BYTES = 50;
    static final int MAX_INLINE_DEPTH = 6;
    static final int INLINE_SMALL_CODE_BYTES = 1000;

    /**
     * How the heap grows while the helper works, in percent of the heap left free after a full collection:
     * at least {@link #GROWING_MIN_HEAP_FREE_PERCENT}, at most {@link #GROWING_MAX_HEAP_FREE_PERCENT}. A
     * download takes its pieces in flight from a few MiB to tens of MiB of heap within a second; with 10 %
     * (the idle setting) the old generation grew by a tenth per full collection, so every download started
     * with a run of them (bench/daemon: 2–7 full collections, 100–1,400 ms of pauses per 512 MiB round under
     * load; with these, 0–3 and none of the growth steps; a probe allocating 40 pieces: 7 full collections
     * against 3). The idle daemon's heap is sized by {@code daemon.IdleHeapShrinker}'s collection, which
     * applies {@link #IDLE_MIN_HEAP_FREE_PERCENT} and {@link #IDLE_MAX_HEAP_FREE_PERCENT} for that collection
     * alone (both are manageable flags), so what an idle daemon keeps committed does not change.
     */
    public static final int GROWING_MIN_HEAP_FREE_PERCENT = 40;
    public static final int GROWING_MAX_HEAP_FREE_PERCENT = 70;
    /** The free share an idle daemon's heap is shrunk to: a fifth more than the live set at most. */
    public static final int IDLE_MIN_HEAP_FREE_PERCENT = 10;
    public static final int IDLE_MAX_HEAP_FREE_PERCENT = 20;

    /**
     * The helper proper (daemon, and the {@code magnetar} command that downloads and runs the wallet).
     * Serial GC, whose pauses on the heaps the helper needs are a few milliseconds and which keeps no
     * concurrent GC threads or remembered sets; a small initial heap that grows only as the live set
     * does, in large steps while it works ({@link #GROWING_MIN_HEAP_FREE_PERCENT}), and is given back when it
     * shrinks (after a wallet unlock, say) — all of it at the next full collection, not a fraction per
     * collection as {@code ShrinkHeapInSteps} would, down to a fifth more than the live set at the idle
     * daemon's shrinking collection ({@link #IDLE_MAX_HEAP_FREE_PERCENT}; the young generation follows at
     * half the old); piece buffers allocated in the old generation ({@link #PRETENURE_BYTES}); a direct-memory
     * cap for Netty's pooled socket buffers, and smaller chunks for them ({@link #NETTY_MAX_ORDER}), no pool for
     * gRPC's ({@link #GRPC_NETTY_DIRECT_ARENAS_PROPERTY}), no large temporary direct buffer kept per thread
     * ({@link #MAX_CACHED_TEMPORARY_DIRECT_BUFFER}); a
     * bounded code cache ({@link #CODE_CACHE_MIB}) and less inlining by C2 ({@link #HOT_INLINE_BYTES}). Reflection that generates no class per method
     * ({@link #NO_REFLECTION_ACCESSOR_CLASSES}). The JDK's few built-in locales, not CLDR's thousand ({@link #FEW_LOCALES}). No heap
     * cap below the JVM's default (a quarter of RAM): the heap
     * must hold the wallet's scrypt work array (128 MiB) and every piece being assembled — about three
     * seconds of the download rate across all peers, hundreds of MiB on a fast line — and a cap
     * measured to change nothing for RSS (bench/README.md: a 1 GiB download peaked at 148 MiB
     * with -Xmx256m and with a 2.4 GiB cap alike; the engine's own bounds hold it).
     */
    public static final List<String> HELPER = List.of(
            "-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=" + GROWING_MIN_HEAP_FREE_PERCENT,
            "-XX:MaxHeapFreeRatio=" + GROWING_MAX_HEAP_FREE_PERCENT, "-XX:-ShrinkHeapInSteps", "-XX:PretenureSizeThreshold=" + PRETENURE_BYTES,
            "-XX:MaxDirectMemorySize=64m", "-XX:ReservedCodeCacheSize=" + CODE_CACHE_MIB + "m",
            "-D" + NETTY_MAX_ORDER_PROPERTY + "=" + NETTY_MAX_ORDER, "-D" + GRPC_NETTY_MAX_ORDER_PROPERTY + "=" + NETTY_MAX_ORDER,
            "-D" + GRPC_NETTY_DIRECT_ARENAS_PROPERTY + "=0", "-D" + GRPC_NETTY_HEAP_ARENAS_PROPERTY + "=0",
            "-XX:FreqInlineSize=" + HOT_INLINE_BYTES, "-XX:MaxInlineLevel=" + MAX_INLINE_DEPTH,
            "-XX:InlineSmallCode=" + INLINE_SMALL_CODE_BYTES, NO_REFLECTION_ACCESSOR_CLASSES, FEW_LOCALES,
            MAX_CACHED_TEMPORARY_DIRECT_BUFFER);

    /**
     * The environment the long-running daemon gets beside its flags, where the user has not set these
     * already. glibc gives each thread that allocates its own malloc arena (up to 8 per core) and keeps
     * what is freed in it: C2's compiler threads, Netty's and Jetty's threads each hold a few MiB
     * of freed C heap that no trim returns while the arena is busy. Two arenas is the usual setting for
     * JVM services; measured here it was within the noise of a loaded machine (a daemon's peak RSS during
     * a 512 MiB download 173 → 153 MiB in one pair of runs, 163 → 162 MiB in another; bench/README.md).
     * Other C libraries ignore it.
     */
    public static final Map<String, String> HELPER_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    /** How often a long-running helper hands freed C heap back to the OS (see {@link #trimNativeHeap}). */
    static final int TRIM_NATIVE_HEAP_MILLIS = 5000;

    /**
     * Set with {@link #trimNativeHeap}'s flag: the JVM trims the C heap itself, so the daemon's idle shrinker need
     * not ask for a trim of its own, which goes through JMX — the platform MBean server, ~270 classes and 0.4 MiB
     * of metaspace loaded at the first idle collection and kept for the life of the process (bench/README.md).
     */
    public static final String JVM_TRIMS_NATIVE_HEAP_PROPERTY = "magnetar.jvmTrimsNativeHeap";

    /**
     * For the long-running daemon, on JVMs that have it: glibc keeps the C heap the JVM freed (C2's
     * compilation arenas above all, which peak during a download) instead of giving it back, and
     * {@code -XX:TrimNativeHeapInterval} (JDK-8293114) trims it periodically. Measured on 17.0.15:
     * a daemon idle 15 s after start 106–114 → 99–100 MiB (bench/api, two pairs; 1 s trims gained
     * nothing over 5 s); a one-off trim after four 1 GiB downloads in one engine gave back 19 MiB.
     * The flag exists from 17.0.9 and 21.0.1 (experimental until 17.0.11, 21.0.3 and 23, hence the
     * unlock, harmless once it is a product flag) and in 22 on; not in 18–20 or earlier updates,
     * where an unknown flag would stop the JVM from starting. So this is for launchers that
     * start the same {@code java} they run on, with {@code version} their own {@link Runtime#version()}
     * (the native host starting the daemon), not for scripts written once at install, whose
     * {@code java} may change under them.
     */
    public static List<String> trimNativeHeap(Runtime.Version version) {
        int feature = version.feature();
        int update = version.update();
        boolean has = (feature == 17 && update >= 9) || (feature == 21 && update >= 1) || feature >= 22;
        return has
                ? List.of("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=" + TRIM_NATIVE_HEAP_MILLIS,
                        "-D" + JVM_TRIMS_NATIVE_HEAP_PROPERTY + "=true")
                : List.of();
    }

    /**
     * The native messaging host: a relay between the browser's pipe and the daemon's HTTP API, a few
     * messages a second at most. C1 only (no C2 compiler threads warming up code that never gets hot),
     * a small heap.
     */
    public static final List<String> NATIVE_HOST = List.of(
            "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1");

    /**
     * Makes the JVM write an AppCDS archive (JEP 350) of the classes it loaded to {@code file} at exit.
     * Quiet about the classes it cannot hold (one warning each: picocli's Java 5 class files, ~190).
     */
    public static List<String> writeClassArchive(String file) {
        return List.of("-XX:ArchiveClassesAtExit=" + file, "-Xlog:cds=off");
    }

    /**
     * Makes the JVM list every class it loads (and the lambdas it links) in {@code file}, as it goes: the list a
     * static archive is dumped from ({@link #dumpClassArchive}).
     */
    public static List<String> recordLoadedClasses(String file) {
        return List.of("-XX:DumpLoadedClassList=" + file);
    }

    /**
     * Makes the JVM write a static AppCDS archive (JEP 310) of the JDK's and the class path's classes that
     * {@code classList} names ({@link #recordLoadedClasses}) to {@code archive}, then exit: one archive that replaces
     * the JDK's base archive and a dynamic one on top of it. Quiet about the classes it cannot hold (the JDK's
     * proxies and JFR event classes named in the list).
     */
    public static List<String> dumpClassArchive(String classList, String archive) {
        return List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
    }

    /**
     * Names a daemon class archive a package made for its installed jar (the .deb's postinst does):
     * the native host passes it on, and the daemon it starts maps that archive instead of making
     * its own per user.
     */
    public static final String PACKAGED_DAEMON_ARCHIVE_PROPERTY = "magnetar.daemonClassArchive";

    /** The host's flag that names the package's daemon archive ({@link #PACKAGED_DAEMON_ARCHIVE_PROPERTY}). */
    public static String packagedDaemonArchive(String file) {
        return "-D" + PACKAGED_DAEMON_ARCHIVE_PROPERTY + "=" + file;
    }

    /** Maps an archive {@link #writeClassArchive} or {@link #dumpClassArchive} wrote; the JVM ignores a missing file and warns about a stale one. */
    public static String useClassArchive(String file) {
        return "-XX:SharedArchiveFile=" + file;
    }
}
