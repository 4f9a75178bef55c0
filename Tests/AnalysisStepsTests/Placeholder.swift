import Testing
@testable import AnalysisSteps

@Test func analysisstepsBuilds() { #expect(Bool(true)) }
