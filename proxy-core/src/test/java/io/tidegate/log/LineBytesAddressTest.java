package io.tidegate.log;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Addresses in a log line as HAProxy writes them, without allocating once the thread knows the address. */
class LineBytesAddressTest {
    @Test
    void addressesAreWrittenInHaproxysFormFromTheThreadsCache() throws Exception {
        InetAddress v6 = InetAddress.getByName("0:0:0:0:0:0:0:1");
        InetAddress v4 = InetAddress.getByName("10.0.0.7");
        InetAddress server = InetAddress.getByName("2001:db8:0:0:1:0:0:1");
        LineBytes line = LineBytes.detached();
        line.putAddress(v6).put(' ').putAddress(v4).put(' ').putAddress(server);
        assertEquals("::1 10.0.0.7 2001:db8::1:0:0:1", line.text());

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        long self = Thread.currentThread().getId();
        for (int i = 0; i < 1000; i++) {      // the text array has grown to its size; the cache holds all three
            line.setLength(0);
            line.putAddress(v6).put(' ').putAddress(v4).put(' ').putAddress(server);
        }
        long before = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < 1000; i++) {
            line.setLength(0);
            line.putAddress(v6).put(' ').putAddress(v4).put(' ').putAddress(server);
        }
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        assertEquals("::1 10.0.0.7 2001:db8::1:0:0:1", line.text());
        assertTrue(allocated < 1000, "no allocation per line (" + allocated + " B for 1000 lines)");
    }
}
