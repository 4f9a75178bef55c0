import Core

/// An open-addressing hash table from byte strings to `Int32` codes, looked up straight from
/// the file's bytes so that a known name costs one hash and one short compare, never a `String`.
///
/// Keys live back to back in one byte arena. Each 16-byte slot holds the upper 32 bits of the
/// key's hash, the key's length and arena offset and its code, so that a lookup touches one slot
/// and the key's bytes (linear probing, load factor at most 1/2).
struct ByteInterner {
    struct Slot {
        var tag: UInt32
        /// Key length + 1; `0` marks an empty slot.
        var lengthPlusOne: UInt32
        var offset: UInt32
        var code: Int32
    }

    /// Key bytes back to back, after one padding byte (so that the arena always has an address).
    private var arena: [UInt8] = [0]
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(tag: 0, lengthPlusOne: 0, offset: 0, code: 0), count: size)
        mask = size - 1
    }

    /// The code of the bytes `start ..< start + length`, or `nil` when absent.
    @inline(__always)
    func code(of start: UnsafePointer<UInt8>, length: Int) -> Int32? {
        let hash = Self.hash(start, length)
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slotBuffer -> Int32? in
            arena.withUnsafeBufferPointer { arenaBuffer -> Int32? in
                let arenaBase = UnsafeRawPointer(arenaBuffer.baseAddress!)
                while true {
                    let entry = slotBuffer[slot]
                    if entry.lengthPlusOne == 0 { return nil }
                    if entry.tag == tag && Int(entry.lengthPlusOne) == length + 1
                        && Self.bytesEqual(arenaBase + Int(entry.offset), UnsafeRawPointer(start), length) {
                        return entry.code
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Adds bytes that are known to be absent, mapping them to `code`. Returns `false` (and adds
    /// nothing) when the arena would outgrow 32-bit offsets; lookups of such a key then miss.
    @discardableResult
    mutating func insert(_ start: UnsafePointer<UInt8>, length: Int, code: Int32) -> Bool {
        guard arena.count + length < Int(UInt32.max) else { return false }
        if (count + 1) * 2 > slots.count { grow() }
        let offset = UInt32(arena.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
        let hash = Self.hash(start, length)
        place(Slot(tag: UInt32(truncatingIfNeeded: hash >> 32), lengthPlusOne: UInt32(length + 1), offset: offset, code: code),
              hash: hash)
        count += 1
        return true
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

    private mutating func place(_ entry: Slot, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].lengthPlusOne != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        let old = slots
        let newSize = slots.count * 2
        slots = [Slot](repeating: Slot(tag: 0, lengthPlusOne: 0, offset: 0, code: 0), count: newSize)
        mask = newSize - 1
        for entry in old where entry.lengthPlusOne != 0 {
            let hash = arena.withUnsafeBufferPointer { arenaBuffer in
                Self.hash(arenaBuffer.baseAddress! + Int(entry.offset), Int(entry.lengthPlusOne) - 1)
            }
            place(entry, hash: hash)
        }
    }

    /// `memcmp(a, b, length) == 0` for short strings, a word at a time, inlined.
    @inline(__always)
    static func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ length: Int) -> Bool {
        if length >= 8 {
            var offset = 0
            while offset + 8 <= length {
                if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                    return false
                }
                offset += 8
            }
            if offset == length { return true }
            // The last (overlapping) word covers the tail.
            return a.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        }
        if length >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)
        }
        let a8 = a.assumingMemoryBound(to: UInt8.self), b8 = b.assumingMemoryBound(to: UInt8.self)
        for index in 0 ..< length where a8[index] != b8[index] { return false }
        return true
    }

    /// A fast 64-bit hash of a short byte string: 8-byte words folded by multiply–xorshift,
    /// finished with the SplitMix64 finaliser.
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var hash: UInt64 = splitMix64Increment ^ UInt64(truncatingIfNeeded: length)
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
        return splitMix64Finalizer(hash)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The set of user ids seen so far, to find duplicates cheaply.
///
/// Ids made of one common prefix and a canonical number (`train-121672`) live in a bitset indexed
/// by the number, which stays in cache where a hash table of 200,000 ids would not; every other
/// id goes to a ``ByteInterner``. The common prefix is the one of the first numbered id, so an id
/// always lands in the same structure.
struct RecordIDSet {
    private var prefix: [UInt8]?
    private var bits: [UInt64] = []
    private var others = ByteInterner(capacity: 64)
    static let maximumNumber = 1 << 27

    /// The number at the end of the id (1–9 digits, no leading zero), and where it starts.
    @inline(__always)
    private static func numericSuffix(_ p: UnsafePointer<UInt8>, _ length: Int) -> (start: Int, number: Int)? {
        var start = length
        while start > 0 && p[start - 1] &- UInt8(ascii: "0") <= 9 { start -= 1 }
        let digitCount = length - start
        guard digitCount >= 1 && digitCount <= 9 else { return nil }
        if digitCount > 1 && p[start] == UInt8(ascii: "0") { return nil }
        var number = 0
        for index in start ..< length { number = number * 10 + Int(p[index] &- UInt8(ascii: "0")) }
        guard number < maximumNumber else { return nil }
        return (start, number)
    }

    @inline(__always)
    private func matchesPrefix(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard let prefix, prefix.count == length else { return false }
        return prefix.withUnsafeBufferPointer { buffer in
            length == 0 || ByteInterner.bytesEqual(UnsafeRawPointer(buffer.baseAddress!), UnsafeRawPointer(p), length)
        }
    }

    /// Whether the id was inserted before.
    @inline(__always)
    func contains(_ p: UnsafePointer<UInt8>, length: Int) -> Bool {
        if let suffix = Self.numericSuffix(p, length) {
            if prefix == nil { return false }  // no numbered id was inserted yet
            if matchesPrefix(p, suffix.start) {
                let word = suffix.number >> 6
                return word < bits.count && bits[word] & (1 << UInt64(suffix.number & 63)) != 0
            }
        }
        return others.code(of: p, length: length) != nil
    }

    /// Adds an id that is not in the set.
    @inline(__always)
    mutating func insert(_ p: UnsafePointer<UInt8>, length: Int) {
        if let suffix = Self.numericSuffix(p, length) {
            if prefix == nil { prefix = Array(UnsafeBufferPointer(start: p, count: suffix.start)) }
            if matchesPrefix(p, suffix.start) {
                let word = suffix.number >> 6
                if word >= bits.count { bits.append(contentsOf: repeatElement(0, count: max(word + 1 - bits.count, bits.count))) }
                bits[word] |= 1 << UInt64(suffix.number & 63)
                return
            }
        }
        others.insert(p, length: length, code: 0)
    }
}
