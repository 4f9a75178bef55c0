import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a file into memory in one piece, and inflating gzip (detected by its magic bytes).
enum FileBytes {
    /// The file's raw bytes, read with POSIX `open`/`read` (no intermediate `Data` copy).
    static func read(path: String, fileName: String) throws(LoadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw LoadError(file: fileName, kind: .fileNotFound, message: "file not found at \(path)")
            }
            throw LoadError(file: fileName, kind: .readFailed,
                            message: "cannot open \(path): \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            throw LoadError(file: fileName, kind: .readFailed, message: "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw LoadError(file: fileName, kind: .readFailed, message: "\(path) is a directory, not a file")
        }
        // Read straight into uninitialised storage sized from `fstat` (one byte more, to notice growth).
        var readError: Int32 = 0
        let expected = max(Int(status.st_size), 0)
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, initializedCount in
            initializedCount = 0
            guard let base = buffer.baseAddress else { return }
            while initializedCount < buffer.count {
                let got = systemRead(descriptor, base + initializedCount, buffer.count - initializedCount)
                if got < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    return
                }
                if got == 0 { return }
                initializedCount += got
            }
        }
        // A file that grew while we read it (or reports no size, like some special files): read on in chunks.
        if readError == 0 && bytes.count == expected + 1 {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let got = chunk.withUnsafeMutableBufferPointer { systemRead(descriptor, $0.baseAddress!, $0.count) }
                if got < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    break
                }
                if got == 0 { break }
                bytes.append(contentsOf: chunk[0 ..< got])
            }
        }
        if readError != 0 {
            throw LoadError(file: fileName, kind: .readFailed, message: "cannot read \(path): \(String(cString: strerror(readError)))")
        }
        return bytes
    }

    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates one or more concatenated gzip members (zlib `windowBits` 15 + 32, header auto-detected).
    static func gunzip(_ compressed: [UInt8], fileName: String) throws(LoadError) -> [UInt8] {
        // The gzip trailer's ISIZE (uncompressed size mod 2^32) is a good first capacity.
        var capacity = max(compressed.count * 4, 1 << 16)
        if compressed.count >= 18 {
            let n = compressed.count
            let isize = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
            // Deflate never compresses better than about 1032:1; a larger ISIZE means a truncated or odd file.
            if isize > 0 && isize <= compressed.count * 1032 { capacity = isize + 1 }
        }
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var stream = z_stream()
        var failure: String?
        compressed.withUnsafeBufferPointer { input in
            guard shim_inflateInit2(&stream, 15 + 32) == Z_OK else {
                failure = "zlib inflateInit2 failed"
                return
            }
            defer { inflateEnd(&stream) }
            var consumed = 0
            while true {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                let inputRemaining = input.count - consumed
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                    stream.avail_in = UInt32(min(inputRemaining, Int(UInt32.max)))
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(min(out.count - produced, Int(UInt32.max)))
                    let inBefore = Int(stream.avail_in)
                    let outBefore = Int(stream.avail_out)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    consumed += inBefore - Int(stream.avail_in)
                    produced += outBefore - Int(stream.avail_out)
                    return result
                }
                if status == Z_STREAM_END {
                    // Another gzip member may follow (as `gzip -d` accepts); trailing zeros are padding.
                    var next = consumed
                    while next < input.count && input[next] == 0 { next += 1 }
                    if next >= input.count { return }
                    if input.count - next >= 2 && input[next] == 0x1F && input[next + 1] == 0x8B {
                        consumed = next
                        inflateReset(&stream)
                        continue
                    }
                    failure = "unexpected bytes after the gzip stream at compressed byte \(next)"
                    return
                }
                if status == Z_OK { continue }
                if status == Z_BUF_ERROR {
                    if produced == output.count { continue }  // room is made at the top of the loop
                    failure = "the gzip stream is truncated (ends after \(produced) inflated bytes)"
                    return
                }
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                failure = "cannot inflate: \(detail)"
                return
            }
        }
        if let failure {
            throw LoadError(file: fileName, kind: .gzipFailed, message: failure)
        }
        output.removeLast(output.count - produced)
        return output
    }
}

/// `read(2)`, named so that it does not clash with `FileBytes.read`.
@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.read(descriptor, buffer, count)
    #elseif canImport(Musl)
    return Musl.read(descriptor, buffer, count)
    #else
    return Glibc.read(descriptor, buffer, count)
    #endif
}

/// Gzip compression and decompression of whole byte arrays through zlib.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool { FileBytes.isGzip(bytes) }

    /// Inflates gzip data (one or more members); `name` labels errors.
    public static func decompress(_ bytes: [UInt8], name: String = "data") throws(LoadError) -> [UInt8] {
        try FileBytes.gunzip(bytes, fileName: name)
    }

    /// Deflates `bytes` into one gzip member (zlib `deflateInit2` with `windowBits` 31) at `level` 0–9;
    /// empty only if zlib itself fails (out of memory).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard shim_deflateInit2(&stream, max(0, min(level, 9)), Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            return []
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound + 64)
        let written: Int = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var dummy: UInt8 = 0
                return withUnsafeMutablePointer(to: &dummy) { empty in
                    stream.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0) } ?? empty
                    stream.avail_in = UInt32(input.count)
                    stream.next_out = out.baseAddress!
                    stream.avail_out = UInt32(out.count)
                    let status = deflate(&stream, Z_FINISH)
                    return status == Z_STREAM_END ? out.count - Int(stream.avail_out) : -1
                }
            }
        }
        guard written >= 0 else { return [] }
        output.removeLast(output.count - written)
        return output
    }
}
