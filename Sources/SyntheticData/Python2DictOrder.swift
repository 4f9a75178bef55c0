/// The iteration order of a CPython 2.7 `dict` of byte strings: the "scrambled, hash-like" order of the real files.
///
/// The competition files were written by Python 2: object keys and the `name:seconds` entries of each field
/// come out in dict order. That order is the slot order of an open-addressing table: string hash
/// `x = s[0] << 7; x = (1000003·x) ^ byte…; x ^= length` (64-bit, no randomisation), first slot `hash & mask`,
/// then `i = 5i + perturb + 1`, `perturb >>= 5`; the table starts at 8 slots and, when two thirds full, is
/// rebuilt at the smallest power of two above 4× (2× above 50,000) the entries. Replaying it reproduces the
/// real `sample_submission.csv` order exactly and the `dow` order `1,3,2,5,4,7,6`.
enum Python2DictOrder {
    /// CPython 2.7's string hash of `bytes` (as an unsigned 64-bit word).
    static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        guard let first = bytes.first else { return 0 }
        var x = UInt64(first) << 7
        for byte in bytes { x = (1_000_003 &* x) ^ UInt64(byte) }
        x ^= UInt64(bytes.count)
        if x == UInt64.max { x = UInt64.max - 1 }  // -1 is reserved as an error value
        return x
    }

    static func hash(_ string: String) -> UInt64 { hash(Array(string.utf8)) }

    /// The positions of `hashes` (keys inserted in this order) in dict iteration order.
    static func iterationOrder(hashes: [UInt64]) -> [Int] {
        var slots = [Int32](repeating: -1, count: 8)
        var used = 0
        for key in hashes.indices {
            insert(Int32(key), hash: hashes[key], into: &slots, size: slots.count)
            used += 1
            if used * 3 >= slots.count * 2 {
                let minimumUsed = (used > 50_000 ? 2 : 4) * used
                var newSize = 8
                while newSize <= minimumUsed { newSize <<= 1 }
                let old = slots
                slots = [Int32](repeating: -1, count: newSize)
                for entry in old where entry >= 0 { insert(entry, hash: hashes[Int(entry)], into: &slots, size: slots.count) }
            }
        }
        return slots.compactMap { $0 >= 0 ? Int($0) : nil }
    }

    /// Small dicts (the entries of one field) without allocating: `order` receives positions into `hashes`.
    static func iterationOrder(hashes: UnsafeBufferPointer<UInt64>, scratch: inout [Int32], order: inout [Int]) {
        order.removeAll(keepingCapacity: true)
        var size = 8
        if scratch.count < size { scratch = [Int32](repeating: -1, count: 1024) }
        for i in 0 ..< size { scratch[i] = -1 }
        var used = 0
        for key in 0 ..< hashes.count {
            insert(Int32(key), hash: hashes[key], into: &scratch, size: size)
            used += 1
            if used * 3 >= size * 2 {
                let minimumUsed = 4 * used
                var newSize = 8
                while newSize <= minimumUsed { newSize <<= 1 }
                // Reinsert in old slot order, as CPython does.
                let old = Array(scratch[0 ..< size])
                if scratch.count < newSize { scratch = [Int32](repeating: -1, count: newSize) }
                for i in 0 ..< newSize { scratch[i] = -1 }
                size = newSize
                for entry in old where entry >= 0 { insert(entry, hash: hashes[Int(entry)], into: &scratch, size: size) }
            }
        }
        for i in 0 ..< size where scratch[i] >= 0 { order.append(Int(scratch[i])) }
    }

    /// Puts `key` in the first free slot of its probe sequence among `slots[0 ..< size]` (`size` a power of two).
    private static func insert(_ key: Int32, hash: UInt64, into slots: inout [Int32], size: Int) {
        let mask = UInt64(size - 1)
        var i = hash & mask
        if slots[Int(i)] < 0 { slots[Int(i)] = key; return }
        var perturb = hash
        while true {
            i = (i << 2) &+ i &+ perturb &+ 1
            let slot = Int(i & mask)
            if slots[slot] < 0 { slots[slot] = key; return }
            perturb >>= 5
        }
    }
}
