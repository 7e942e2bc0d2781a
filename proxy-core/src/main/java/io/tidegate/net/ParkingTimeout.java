package io.tidegate.net;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes what a deployment parked for the next one when nobody claims it in time, with a task made
 * only of JDK objects (method handles run by {@link CompletableFuture#delayedExecutor}), so no
 * Tidegate class, object or thread outlives the deployment that parked it.
 */
final class ParkingTimeout {
    private ParkingTimeout() {
    }

    /**
     * After {@code timeoutMs}: {@code if (holder.remove(key, parking)) close each of channels}. The
     * delay thread is created (once per JVM) with the system class loader as context loader so it
     * does not hold this deployment's.
     */
    static void closeUnclaimed(ConcurrentMap<String, Object[]> holder, String key, Object[] parking, long timeoutMs,
                               Channel... channels) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle remove = lookup.findVirtual(ConcurrentMap.class, "remove",
                    MethodType.methodType(boolean.class, Object.class, Object.class));
            MethodHandle test = MethodHandles.insertArguments(remove, 0, holder, key, parking);
            MethodHandle close = lookup.findVirtual(Channel.class, "close", MethodType.methodType(void.class));
            MethodHandle ignore = MethodHandles.dropArguments(MethodHandles.empty(MethodType.methodType(void.class)), 0,
                    IOException.class);
            MethodHandle closeAll = MethodHandles.empty(MethodType.methodType(void.class));
            for (Channel c : channels) {
                MethodHandle closeQuietly = MethodHandles.catchException(close.bindTo(c), IOException.class, ignore);
                closeAll = MethodHandles.foldArguments(closeAll, closeQuietly);
            }
            MethodHandle task = MethodHandles.guardWithTest(test, closeAll,
                    MethodHandles.empty(MethodType.methodType(void.class)));
            Runnable r = MethodHandleProxies.asInterfaceInstance(Runnable.class, task);
            CompletableFuture.delayedExecutor(timeoutMs, TimeUnit.MILLISECONDS).execute(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot schedule the close of a parked socket", e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
