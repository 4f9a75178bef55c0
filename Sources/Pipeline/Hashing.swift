import Core
import Foundation

/// 64-bit FNV-1a over UTF-8 bytes: a stable string hash (unlike Swift's per-process
/// randomised `hashValue`), used for step names and fingerprint text.
///
/// `h = 0xcbf29ce484222325; for b in bytes { h = (h ^ b) * 0x100000001b3 }`.
public func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return hash
}

/// Derives each step's seed from the global seed and the step's name.
public enum StepSeed {
    /// `splitMix64(globalSeed ^ splitMix64(fnv1a(stepName)))`: stable across runs, processes
    /// and platforms; different steps get unrelated seeds.
    public static func derive(globalSeed: UInt64, stepName: String) -> UInt64 {
        splitMix64(globalSeed ^ splitMix64(stableHash(stepName)))
    }
}

/// A fast streaming 64-bit hash for change detection of data files (not cryptographic).
///
/// Four independent lanes consume 32-byte stripes with the xxHash64 round
/// `lane = rotl(lane + word * P2, 31) * P1`, so the loop runs at memory speed; the lanes are
/// merged, the length is folded in and the result goes through the SplitMix64 finaliser.
/// The result does not depend on how the input is split across ``update(_:)`` calls.
public struct FastHasher: Sendable {
    private static let prime1: UInt64 = 0x9e37_79b1_85eb_ca87
    private static let prime2: UInt64 = 0xc2b2_ae3d_27d4_eb4f
    private static let prime3: UInt64 = 0x1656_67b1_9e37_79f9

    private var lane0: UInt64
    private var lane1: UInt64
    private var lane2: UInt64
    private var lane3: UInt64
    private var pending: [UInt8] = []
    private var totalByteCount: UInt64 = 0

    public init(seed: UInt64 = 0) {
        lane0 = seed &+ Self.prime1 &+ Self.prime2
        lane1 = seed &+ Self.prime2
        lane2 = seed
        lane3 = seed &- Self.prime1
        pending.reserveCapacity(32)
    }

    @inline(__always)
    private static func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = lane &+ word &* prime2
        return ((mixed << 31) | (mixed >> 33)) &* prime1
    }

    /// Feeds bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        totalByteCount &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(32 - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            offset = take
            if pending.count < 32 { return }
            pending.withUnsafeBytes { consumeStripes($0.baseAddress!, stripeCount: 1) }
            pending.removeAll(keepingCapacity: true)
        }
        let stripeCount = (bytes.count - offset) / 32
        if stripeCount > 0 {
            consumeStripes(base + offset, stripeCount: stripeCount)
            offset += stripeCount * 32
        }
        if offset < bytes.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + offset, count: bytes.count - offset))
        }
    }

    /// Feeds the bytes of `data`.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    @_optimize(speed)
    private mutating func consumeStripes(_ start: UnsafeRawPointer, stripeCount: Int) {
        var a = lane0, b = lane1, c = lane2, d = lane3
        var pointer = start
        for _ in 0 ..< stripeCount {
            a = Self.round(a, UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self)))
            b = Self.round(b, UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            c = Self.round(c, UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
            d = Self.round(d, UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
            pointer += 32
        }
        lane0 = a; lane1 = b; lane2 = c; lane3 = d
    }

    /// The hash of everything fed so far.
    public func finalize() -> UInt64 {
        var hash = ((lane0 << 1) | (lane0 >> 63)) &+ ((lane1 << 7) | (lane1 >> 57))
            &+ ((lane2 << 12) | (lane2 >> 52)) &+ ((lane3 << 18) | (lane3 >> 46))
        hash = splitMix64(hash ^ totalByteCount)
        for (index, byte) in pending.enumerated() {
            hash = splitMix64(hash ^ (UInt64(byte) << UInt64((index % 8) * 8)) &+ Self.prime3 &* UInt64(index + 1))
        }
        return splitMix64(hash)
    }

    /// Hashes a whole buffer.
    public static func hash(_ data: Data) -> UInt64 {
        var hasher = FastHasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// Hashes a file in 4 MiB chunks.
    public static func hashFile(at url: URL) throws -> UInt64 {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = FastHasher()
        let chunkSize = 4 << 20
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        let descriptor = handle.fileDescriptor
        while true {
            let readCount = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress, chunkSize)
            }
            if readCount < 0 {
                if errno == EINTR { continue }
                throw FileHashError.readFailed(url, String(cString: strerror(errno)))
            }
            if readCount == 0 { break }
            buffer.withUnsafeBytes { raw in
                hasher.update(UnsafeRawBufferPointer(rebasing: raw[0 ..< readCount]))
            }
        }
        return hasher.finalize()
    }
}

/// A file that could not be read while fingerprinting.
enum FileHashError: Error, CustomStringConvertible {
    case readFailed(URL, String)
    var description: String {
        switch self {
        case let .readFailed(url, reason): "cannot read \(url.path) to fingerprint it: \(reason)"
        }
    }
}

/// Formats a 64-bit hash as 16 lowercase hex digits.
public func hexDigest(_ value: UInt64) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
