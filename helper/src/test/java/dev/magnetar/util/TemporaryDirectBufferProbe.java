package dev.magnetar.util;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a child JVM by {@link JvmFlagsTest}: writes heap buffers of 80 KiB (an API response's size) and 32 KiB (a disk
 * write's chunk) to a file, as the daemon's threads write heap buffers to files and sockets, and prints how much
 * direct memory the JDK kept afterwards for each: it copies such a write through a temporary direct buffer and caches
 * that buffer on the writing thread.
 */
public final class TemporaryDirectBufferProbe {

    private TemporaryDirectBufferProbe() {}

    public static void main(String[] args) throws IOException {
        Path file = Files.createTempFile("probe", ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int size : new int[] {80 * 1024, 32 * 1024}) {
                long before = directBytes();
                ByteBuffer heap = ByteBuffer.allocate(size);
                while (heap.hasRemaining()) {
                    channel.write(heap, 0);
                }
                System.out.println("kept after a " + (size >> 10) + " KiB write: " + (directBytes() - before));
            }
        } finally {
            Files.delete(file);
        }
    }

    private static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }
}
