import Foundation

/// The histograms of the leaves being grown (LightGBM's `HistogramPool`): a fixed set of slots, one
/// whole histogram (every feature's bins) each, handed out to leaves and taken back when a leaf stops
/// splitting or passes its slot to a child. Allocated once per fit and reused by every tree.
final class HistogramPool {
    /// Bins of one histogram (``HistogramLayout/totalBinCount``).
    let binCount: Int
    /// Histograms held: one per leaf a tree may have.
    let slotCount: Int
    private let storage: UnsafeMutablePointer<HistogramBin>
    /// Unused slots; the next one handed out is the last.
    private var freeSlots: [Int]

    init(slotCount: Int, binCount: Int) {
        precondition(slotCount >= 1 && binCount >= 0, "HistogramPool: \(slotCount) slots of \(binCount) bins")
        self.slotCount = slotCount
        self.binCount = binCount
        storage = .allocate(capacity: slotCount * max(1, binCount))
        storage.initialize(repeating: HistogramBin(), count: slotCount * max(1, binCount))
        freeSlots = []
        freeSlots.reserveCapacity(slotCount)
        reset()
    }

    deinit { storage.deallocate() }

    /// Makes every slot free again (at the start of a tree); slot 0 is handed out first.
    func reset() {
        freeSlots.removeAll(keepingCapacity: true)
        freeSlots.append(contentsOf: (0 ..< slotCount).reversed())
    }

    /// A free slot. There is always one: a tree never holds more histograms than leaves.
    func acquire() -> Int {
        precondition(!freeSlots.isEmpty, "HistogramPool: all \(slotCount) slots are in use")
        return freeSlots.removeLast()
    }

    /// Takes `slot` back.
    func release(_ slot: Int) { freeSlots.append(slot) }

    /// The first bin of `slot`'s histogram.
    func histogram(_ slot: Int) -> UnsafeMutablePointer<HistogramBin> { storage + slot * binCount }
}
