package io.tidegate.engine;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * Weighted round robin in O(log n) per pick, for backends with more servers than nginx's O(n) loop
 * ({@link SmoothWeightedRoundRobin}) handles cheaply (with 400 servers the loop cost about 1 µs per
 * request).
 *
 * <p><b>Virtual deadlines.</b> Each eligible server of weight {@code w} has a deadline on a virtual
 * clock; its deadlines are {@code 1/w} apart. A pick takes the server with the earliest deadline
 * (ties: configuration order) from a binary heap and moves its deadline on by {@code 1/w}. Any
 * half-open clock interval of length 1 holds exactly {@code w} deadlines of each server, whatever
 * the servers' phases, so with static weights any window of total-weight picks gives each server
 * exactly its weight (the guarantee of the loop), and a server's picks are evenly spaced instead of
 * coming in bursts; servers of equal weight take turns. A server joining the rotation starts a
 * fraction of a turn ahead that differs from server to server (a golden-ratio sequence): with equal
 * phases, deadlines of many servers would coincide (every odd weight has one at 1/2) and a heavy
 * server would wait behind hundreds of them. Deadlines are exact fractions
 * {@code num / (RESOLUTION w)} compared by cross-multiplication: no rounding while weights are static.
 *
 * <p><b>Changes.</b> Weights and eligibility ({@link RuntimeServer#acceptsNewTraffic()}) are
 * dynamic. Rather than reading every server on every pick, the heap is rebuilt (O(n)) when the
 * backend's change counter moved ({@link RuntimeBackend#balancingChanged()}: JMX weight, health,
 * admin state, checks switch) or when the slowstart weight of a ramping server stepped (only the
 * ramping servers are read per pick). A rebuild keeps each remaining server's place as the part of
 * its turn still to go (with a new weight, a part of its new turn): a change neither restarts the
 * rotation nor delays a server's new share by the rest of its old turn; a server that
 * leaves forgets its place, and one that comes (back) starts at its phase, as the loop resets its
 * score.
 *
 * <p><b>Skips.</b> The avoided server and full servers (maxconn) are left out of one pick and keep
 * their deadline, hence their place: they are first in line once usable. A server kept out for
 * long does not catch up with a burst: after its next pick its deadline is put at least half a turn
 * past the virtual clock. Each skipped server costs O(log n) for that pick.
 *
 * <p>Thread-safe: picks are serialized. Numbers stay within a long for weights up to 256 (the
 * configuration's and JMX's limit) for billions of picks; past that the clock is brought back to
 * 0 by a rebuild (rounding each server's place to its unit).
 */
final class DeadlineRoundRobin implements ServerRotation {
    /** A turn ({@code 1/w}) in units of deadline numerator: the resolution of the phases. */
    static final int RESOLUTION = 1024;

    private final RuntimeServer[] servers;
    private final IntSupplier changes;
    /** Deadline of server i = num[i] / den[i]; den[i] = RESOLUTION x the weight it is in the heap with, 0 = not in it. */
    private final long[] num;
    private final long[] den;
    /** The balancing weight each server was placed with (to notice a slowstart step). */
    private final int[] placedWeight;
    /** Binary min-heap of server indexes by deadline; entries [0, size). */
    private final int[] heap;
    private int size;
    /** Servers in the heap that were ramping up (slowstart) at the last rebuild. */
    private final int[] ramping;
    private int rampingCount;
    /** Servers popped during a pick because they were avoided or full, pushed back after it. */
    private final int[] skipped;
    private boolean built;
    private int builtAtChange;
    /** The virtual clock: the latest picked deadline, nowNum / nowDen. */
    private long nowNum;
    private long nowDen = 1;
    /** Past this clock value the numbers are renormalized (by a rebuild) so products stay in a long. */
    private long clockLimit;
    /** Rebuilds so far (changes, slowstart steps, renormalizations). */
    private long rebuilds;

    DeadlineRoundRobin(List<RuntimeServer> servers, IntSupplier changes) {
        this.servers = servers.toArray(new RuntimeServer[0]);
        this.changes = changes;
        int n = this.servers.length;
        this.num = new long[n];
        this.den = new long[n];
        this.placedWeight = new int[n];
        this.heap = new int[n];
        this.ramping = new int[n];
        this.skipped = new int[n];
    }

    @Override
    public synchronized RuntimeServer next(RuntimeServer avoid) {
        if (!built || builtAtChange != changes.getAsInt() || rampStepped() || nowNum > clockLimit * nowDen) {
            rebuild();
        }
        int skippedCount = 0;
        int chosen = -1;
        while (size > 0) {
            int i = heap[0];
            RuntimeServer s = servers[i];
            if (s != avoid && !s.isFull() && s.acceptsNewTraffic()) {
                chosen = i;
                break;
            }
            // acceptsNewTraffic() is false only if a change is not yet counted: rebuild at the next pick
            if (s != avoid && !s.acceptsNewTraffic()) built = false;
            skipped[skippedCount++] = pop();
        }
        if (chosen >= 0) advance(chosen);
        for (int k = 0; k < skippedCount; k++) push(skipped[k]);
        return chosen < 0 ? null : servers[chosen];
    }

    /** Moves the clock to the chosen root's deadline (never back) and its deadline on by one turn. */
    private void advance(int i) {
        if (!before(num[i], den[i], nowNum, nowDen)) {
            nowNum = num[i];
            nowDen = den[i];
        }
        num[i] += RESOLUTION;     // + 1/w
        if (before(num[i], den[i], nowNum, nowDen)) {
            // kept out for long (full, avoided): no catch-up burst, half a turn past the clock
            num[i] = ceilDiv(nowNum * den[i], nowDen) + RESOLUTION / 2;
        }
        siftDown(0);
    }

    /** A ramping server's slowstart weight has changed since it was placed. */
    private boolean rampStepped() {
        for (int k = 0; k < rampingCount; k++) {
            int i = ramping[k];
            if (servers[i].balancingWeight() != placedWeight[i]) return true;
        }
        return false;
    }

    /** How many times the heap was rebuilt. */
    synchronized long rebuilds() {
        return rebuilds;
    }

    /** Re-reads every server's eligibility and weight and rebuilds the heap with the clock back at 0. */
    private void rebuild() {
        rebuilds++;
        builtAtChange = changes.getAsInt();    // before the reads: a change during them forces another rebuild
        built = true;
        size = 0;
        rampingCount = 0;
        long maxDen = 1;
        for (int i = 0; i < servers.length; i++) {
            RuntimeServer s = servers[i];
            int w = s.acceptsNewTraffic() ? s.balancingWeight() : 0;
            if (w <= 0) {
                den[i] = 0;
                continue;
            }
            long newDen = (long) RESOLUTION * w;
            long newNum;
            if (den[i] == 0) {
                newNum = phase(i);     // new or back
            } else {
                // the part of its turn still to go, at most one turn, kept in turns: with a new weight
                // it is at most one new turn away, so it gets its new share from the next pick on
                long ahead = num[i] * nowDen - nowNum * den[i];       // (deadline - clock) x den x nowDen
                newNum = Math.max(0, Math.floorDiv(2 * ahead + nowDen, 2 * nowDen));
            }
            num[i] = newNum;
            den[i] = newDen;
            placedWeight[i] = w;
            if (s.rampingUp()) ramping[rampingCount++] = i;
            maxDen = Math.max(maxDen, newDen);
            heap[size++] = i;
        }
        nowNum = 0;
        nowDen = 1;
        // deadlines stay below clock + 1, so num x den products stay below (clockLimit + 2) x maxDen^2
        clockLimit = Math.max(1, (Long.MAX_VALUE / 4) / maxDen / maxDen);
        for (int k = size / 2 - 1; k >= 0; k--) siftDown(k);
    }

    /**
     * Where server i's first deadline lies within its first turn, in 1..RESOLUTION: the fractional
     * parts of multiples of the golden ratio, which spread the servers' phases evenly for any count.
     */
    static int phase(int i) {
        return 1 + (int) (((i + 1) * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(RESOLUTION)));
    }

    /** Deadline a/b is before c/d (b, d > 0). */
    private static boolean before(long a, long b, long c, long d) {
        return a * d < c * b;
    }

    /** Server i goes before server j: earlier deadline, or the same and earlier in the configuration. */
    private boolean goesBefore(int i, int j) {
        long x = num[i] * den[j];
        long y = num[j] * den[i];
        return x < y || (x == y && i < j);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private int pop() {
        int top = heap[0];
        heap[0] = heap[--size];
        if (size > 0) siftDown(0);
        return top;
    }

    private void push(int i) {
        int k = size++;
        heap[k] = i;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!goesBefore(i, heap[parent])) break;
            heap[k] = heap[parent];
            k = parent;
        }
        heap[k] = i;
    }

    private void siftDown(int k) {
        int i = heap[k];
        int half = size >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < size && goesBefore(heap[right], heap[child])) child = right;
            if (!goesBefore(heap[child], i)) break;
            heap[k] = heap[child];
            k = child;
        }
        heap[k] = i;
    }
}
