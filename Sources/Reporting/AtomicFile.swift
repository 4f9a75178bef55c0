import Foundation

/// Writes files so that readers see either the old or the new content, never a half-written
/// file: the bytes go to a hidden temporary file in the same folder, which is then renamed
/// over the destination (`rename(2)` is atomic within one file system).
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent folder when needed.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temporary)
            try replace(url, with: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
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
}

/// A failed atomic write or rename, naming the paths involved.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
