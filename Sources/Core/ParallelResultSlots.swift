/// One write-once result slot per parallel task (chunk, file, figure): each concurrent task writes
/// only its own slot, and the caller reads them in slot order after the parallel loop has returned,
/// so the results never depend on which thread ran which task.
///
/// Slots are plain memory without a lock: writing a slot from two tasks, or reading while tasks still
/// run, is a bug of the caller. `concurrentPerform`, ``WorkerPool/run(taskCount:_:)`` and
/// `DispatchGroup.wait()` all order the writes before the reads that follow them.
public final class ParallelResultSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    /// The number of slots.
    public let count: Int

    /// `count` empty slots (`count` ≥ 0).
    public init(count: Int) {
        precondition(count >= 0, "ParallelResultSlots: slot count must not be negative, got \(count)")
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Stores `value` in slot `index` (each slot written by one task only).
    public func store(_ value: Value, at index: Int) {
        precondition(index >= 0 && index < count, "ParallelResultSlots: slot \(index) outside 0 ..< \(count)")
        slots[index] = value
    }

    /// Every slot's value, in order; every slot must have been filled.
    public func results() -> [Value] {
        (0 ..< count).map { index in
            guard let value = slots[index] else {
                preconditionFailure("ParallelResultSlots: slot \(index) of \(count) was never filled")
            }
            return value
        }
    }
}
