import Foundation

/// Writes files so that readers see either the old or the new content, never a half-written
/// file: the bytes go to a hidden temporary file in the same folder, which is then renamed
/// over the destination (`rename(2)` is atomic within one file system). The package's only
/// write-to-temporary-and-rename code.
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent folder when needed.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { temporary in try data.write(to: temporary) }
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Creates a temporary file beside `url`, lets `fill` append to it through a file handle (for
    /// content too large to build in memory first), then renames it over `url`.
    public static func write(to url: URL, streaming fill: (FileHandle) throws -> Void) throws {
        try write(to: url) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw AtomicFileError(message: "cannot create temporary file \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try fill(handle)
        }
    }

    /// Renames `source` onto `destination`, replacing a file that is already there.
    public static func replace(_ destination: URL, with source: URL) throws {
        let result = source.path.withCString { from in
            destination.path.withCString { to in rename(from, to) }
        }
        if result != 0 {
            let reason = String(cString: strerror(errno))
            throw AtomicFileError(message: "cannot rename \(source.path) to \(destination.path): \(reason)")
        }
    }

    /// Creates the parent folder, has `produce` write the temporary file, then renames it into place;
    /// on any failure the temporary file is removed and the error rethrown.
    private static func write(to url: URL, producingTemporary produce: (URL) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A fresh name per write, so that concurrent writes (even to one destination) never share one.
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try produce(temporary)
            try replace(url, with: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// A failed atomic write or rename, naming the paths involved.
public struct AtomicFileError: LocalizedError, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
    public var errorDescription: String? { message }
}
