import Testing
@testable import Reporting

@Test func reportingBuilds() { #expect(Bool(true)) }
