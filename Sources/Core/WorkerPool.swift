import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fixed team of worker threads that stay awake between parallel loops, so that starting one costs
/// about a microsecond instead of the tens of microseconds of waking a parked thread — the way
/// OpenMP's spinning threads serve LightGBM's many small per-leaf loops.
///
/// `run` publishes a job of `taskCount` tasks; the caller and the workers claim tasks one at a time
/// from a shared counter, and `run` returns once every worker has acknowledged the job (so no worker
/// ever touches a finished job). Between jobs a worker spins, yielding the core to any other runnable
/// thread, and parks on a condition variable after ``idleSpinLimit`` idle spins. Which thread runs a
/// task is a matter of timing, so tasks must write only their own outputs; callers that merge those
/// outputs in task order get results that do not depend on the thread count.
///
/// With `threadCount == 1` there are no workers and `run` is a plain loop. Call ``shutdown()`` when
/// done (deinit does it too); the workers do not keep the pool alive.
public final class WorkerPool: @unchecked Sendable {
    /// Threads besides the caller's.
    public let workerCount: Int
    /// The caller's thread plus the workers.
    public var threadCount: Int { workerCount + 1 }

    /// Idle spins (each a `sched_yield`) before a worker parks: about a millisecond.
    static let idleSpinLimit = 24_000
    /// Spins before a waiting thread starts yielding its core.
    static let busySpinLimit = 20_000

    private let generation = Atomic<Int>(0)
    private let nextTask = Atomic<Int>(0)
    private let acknowledgementCount = Atomic<Int>(0)
    private let parking = NSCondition()
    /// Guarded by `parking`.
    private var parkedCount = 0
    /// Written by the caller before a job is published, read by the workers after they see it.
    private var isStopping = false
    private var taskCount = 0
    private var task: ((Int) -> Void)? = nil

    /// `threadCount` threads in all (`threadCount − 1` workers besides the caller's); at least 1.
    public init(threadCount: Int) {
        workerCount = max(0, threadCount - 1)
        for index in 0 ..< workerCount {
            let thread = Thread { [unowned(unsafe) self] in self.workerLoop() }
            thread.name = "WorkerPool.\(index)"
            thread.start()
        }
    }

    /// A pool dropped without ``shutdown()`` still stops its workers before its memory goes.
    deinit { shutdown() }

    /// Runs `task(i)` for every `i` in `0 ..< taskCount` on the team and returns when all are done.
    /// Must be called from one thread at a time (the pool's owner), never from inside a task.
    public func run(taskCount count: Int, _ body: (Int) -> Void) {
        if workerCount == 0 || isStopping || count <= 1 {
            for i in 0 ..< count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            task = escapable
            taskCount = count
            nextTask.store(0, ordering: .relaxed)
            acknowledgementCount.store(0, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            wakeParkedWorkers()
            claimTasks()
            waitForAcknowledgements()
            task = nil
        }
    }

    /// `body(chunk, range)` over `chunkCount` contiguous chunks of `0 ..< count` (as
    /// ``parallelForEachChunk(count:chunkCount:threadCount:_:)``, on the team).
    public func forEachChunk(count: Int, chunkCount: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        let chunks = max(1, min(chunkCount, count))
        run(taskCount: chunks) { chunk in body(chunk, chunkRange(chunk, of: chunks, in: count)) }
    }

    /// Stops and releases the workers; the pool then runs everything on the caller's thread.
    public func shutdown() {
        guard workerCount > 0, !isStopping else { return }
        isStopping = true
        acknowledgementCount.store(0, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        wakeParkedWorkers()
        waitForAcknowledgements()
    }

    private func wakeParkedWorkers() {
        parking.lock()
        if parkedCount > 0 { parking.broadcast() }
        parking.unlock()
    }

    private func claimTasks() {
        let count = taskCount
        guard let body = task else { return }
        while true {
            let i = nextTask.add(1, ordering: .relaxed).oldValue
            if i >= count { return }
            body(i)
        }
    }

    private func waitForAcknowledgements() {
        var spins = 0
        while acknowledgementCount.load(ordering: .acquiring) < workerCount {
            spins += 1
            if spins > Self.busySpinLimit { sched_yield() }
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins > Self.idleSpinLimit {
                    parking.lock()
                    parkedCount += 1
                    while generation.load(ordering: .acquiring) == seen { parking.wait() }
                    parkedCount -= 1
                    parking.unlock()
                    spins = 0
                } else if spins > Self.busySpinLimit {
                    sched_yield()
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if isStopping {
                acknowledgementCount.add(1, ordering: .releasing)
                return
            }
            claimTasks()
            acknowledgementCount.add(1, ordering: .releasing)
        }
    }
}
