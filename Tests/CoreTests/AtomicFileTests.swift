import Core
import Foundation
import Testing

@Test func atomicWriteCreatesReplacesAndLeavesNoTemporaryFiles() throws {
    let folder = try TemporaryFolder()
    let target = folder.url.appendingPathComponent("nested/deeper/out.txt")
    try AtomicFile.write("first", to: target)
    #expect(try String(contentsOf: target, encoding: .utf8) == "first")
    try AtomicFile.write("second, longer content", to: target)
    #expect(try String(contentsOf: target, encoding: .utf8) == "second, longer content")
    let entries = try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path)
    #expect(entries == ["out.txt"])
}

@Test func atomicReplaceReportsTheFailingPath() throws {
    let folder = try TemporaryFolder()
    let missing = folder.file("does-not-exist")
    #expect {
        try AtomicFile.replace(folder.file("target"), with: missing)
    } throws: { error in
        String(describing: error).contains("does-not-exist")
    }
}

@Test func streamingAtomicWriteReplacesAndLeavesNoTemporaryFiles() throws {
    let folder = try TemporaryFolder()
    let target = folder.file("matrix.bin")
    try AtomicFile.write("old", to: target)
    try AtomicFile.write(to: target, streaming: { handle in
        try handle.write(contentsOf: Data([1, 2, 3]))
        try handle.write(contentsOf: Data([4, 5]))
    })
    #expect(try Data(contentsOf: target) == Data([1, 2, 3, 4, 5]))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["matrix.bin"])
}

/// A failure while producing the file.
private struct ProducerFailure: Error {}

@Test func failedStreamingWriteKeepsTheOldFileAndRemovesTheTemporary() throws {
    let folder = try TemporaryFolder()
    let target = folder.file("keep.txt")
    try AtomicFile.write("keep me", to: target)
    #expect(throws: ProducerFailure.self) {
        try AtomicFile.write(to: target, streaming: { handle in
            try handle.write(contentsOf: Data("half".utf8))
            throw ProducerFailure()
        })
    }
    #expect(try String(contentsOf: target, encoding: .utf8) == "keep me")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["keep.txt"])
}

@Test func concurrentAtomicWritesToOneFileNeverCollide() throws {
    let folder = try TemporaryFolder()
    let target = folder.file("shared.txt")
    let failures = parallelMap(count: 16) { index -> String? in
        do { try AtomicFile.write("writer \(index)", to: target); return nil } catch { return "\(error)" }
    }
    #expect(failures.allSatisfy { $0 == nil })
    let text = try String(contentsOf: target, encoding: .utf8)
    #expect(text.hasPrefix("writer "))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["shared.txt"])
}
