import AnalysisSteps
import Pipeline
import Testing

@Test func registryIsAValidPipelineWithTheReportLast() throws {
    let steps = StepRegistry.steps
    let names = steps.map { type(of: $0).name }
    #expect(Set(names).count == names.count, "step names are unique: \(names)")
    #expect(names.last == "report")
    #expect(steps.filter { type(of: $0).readsAllSections }.count == 1)
    // Every upstream step exists and comes earlier.
    let runner = StepRegistry.runner(options: StepOptions(out: "unused-reports"))
    #expect(try runner.validatedNames() == names)
    #expect(StepRegistry.step(named: "report") != nil && StepRegistry.step(named: "nope") == nil)
}
