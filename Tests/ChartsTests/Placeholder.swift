import Testing
@testable import Charts

@Test func chartsBuilds() { #expect(Bool(true)) }
