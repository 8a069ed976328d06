package dev.magnetar.util;

/** Run in a child JVM by {@link JvmFlagsTest}: prints the chunk size of the engine's and of gRPC's pooled allocators,
 * and how many direct arenas each pools in (gRPC: direct and heap). */
public final class NettyChunkProbe {

    private NettyChunkProbe() {}

    public static void main(String[] args) {
        System.out.println("engine " + io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().chunkSize());
        System.out.println("grpc " + io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().chunkSize());
        System.out.println("engine arenas " + io.netty.buffer.PooledByteBufAllocator.defaultNumDirectArena());
        System.out.println("grpc arenas " + io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.defaultNumDirectArena()
                + " " + io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator.defaultNumHeapArena());
    }
}
