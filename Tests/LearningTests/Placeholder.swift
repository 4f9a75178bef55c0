import Testing
@testable import Learning

@Test func learningBuilds() { #expect(Bool(true)) }
