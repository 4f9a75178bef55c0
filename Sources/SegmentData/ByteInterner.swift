/// An open-addressing hash table from byte strings to `Int32` codes, looked up straight from
/// the file's bytes so that a known name costs one hash and one `memcmp`, never a `String`.
///
/// Keys live back to back in one byte arena; each slot packs the upper 32 bits of the key's
/// hash with the key's index (linear probing, load factor at most 1/2).
struct ByteInterner {
    /// Key bytes back to back, after one padding byte (so that the arena always has an address).
    private var arena: [UInt8] = [0]
    private var keyStarts: [Int] = []
    private var keyLengths: [Int32] = []
    private var keyCodes: [Int32] = []
    /// `0` is empty; otherwise `(hash >> 32) << 32 | (keyIndex + 1)`.
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct byte strings held.
    var count: Int { keyCodes.count }

    /// The code of the bytes `start ..< start + length`, or `nil` when absent.
    @inline(__always)
    func code(of start: UnsafePointer<UInt8>, length: Int) -> Int32? {
        let hash = Self.hash(start, length)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slotBuffer -> Int32? in
            while true {
                let entry = slotBuffer[slot]
                if entry == 0 { return nil }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let key = Int(entry & 0xFFFF_FFFF) - 1
                    if Int(keyLengths[key]) == length && keyEquals(key, start, length) {
                        return keyCodes[key]
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private func keyEquals(_ key: Int, _ start: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if length == 0 { return true }
        return arena.withUnsafeBufferPointer { arenaBuffer in
            memcmp(arenaBuffer.baseAddress! + keyStarts[key], start, length) == 0
        }
    }

    /// Adds bytes that are known to be absent, mapping them to `code`.
    mutating func insert(_ start: UnsafePointer<UInt8>, length: Int, code: Int32) {
        if (keyCodes.count + 1) * 2 > slots.count { grow() }
        let keyIndex = keyCodes.count
        keyStarts.append(arena.count)
        keyLengths.append(Int32(length))
        keyCodes.append(code)
        arena.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
        let hash = Self.hash(start, length)
        place(hash: hash, keyIndex: keyIndex)
    }

    /// Adds `bytes` (an array) when absent.
    mutating func insertIfAbsent(_ bytes: [UInt8], code: Int32) {
        let padded = bytes + [0]  // a zero-length key still needs an address
        padded.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            if self.code(of: base, length: bytes.count) == nil {
                insert(base, length: bytes.count, code: code)
            }
        }
    }

    private mutating func place(hash: UInt64, keyIndex: Int) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(keyIndex + 1)
    }

    private mutating func grow() {
        let newSize = slots.count * 2
        slots = [UInt64](repeating: 0, count: newSize)
        mask = newSize - 1
        for key in 0 ..< keyCodes.count {
            let hash = arena.withUnsafeBufferPointer { arenaBuffer in
                Self.hash(arenaBuffer.baseAddress! + keyStarts[key], Int(keyLengths[key]))
            }
            place(hash: hash, keyIndex: key)
        }
    }

    /// A fast 64-bit hash of a short byte string: 8-byte words folded by multiply–xorshift,
    /// finished with the SplitMix64 finaliser.
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: length)
        var pointer = UnsafeRawPointer(start)
        var remaining = length
        while remaining >= 8 {
            let word = pointer.loadUnaligned(as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            pointer += 8
            remaining -= 8
        }
        if remaining > 0 {
            var tail: UInt64 = 0
            if remaining >= 4 {
                let low = UInt64(pointer.loadUnaligned(as: UInt32.self))
                let high = UInt64((pointer + (remaining - 4)).loadUnaligned(as: UInt32.self))
                tail = low | (high << 32)
            } else {
                let bytes = pointer.assumingMemoryBound(to: UInt8.self)
                tail = UInt64(bytes[0]) | (UInt64(bytes[remaining >> 1]) << 8) | (UInt64(bytes[remaining - 1]) << 16)
            }
            hash = (hash ^ tail) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        hash ^= hash >> 30
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 27
        hash = hash &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        return hash
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
