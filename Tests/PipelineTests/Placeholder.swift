import Testing
@testable import Pipeline

@Test func pipelineBuilds() { #expect(Bool(true)) }
