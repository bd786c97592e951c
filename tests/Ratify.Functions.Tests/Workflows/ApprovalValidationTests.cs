namespace Ratify.Functions.Tests.Workflows;

public sealed class ApprovalValidationTests
{
    private const string Draft = """{"id": "draft", "type": "transform", "with": {"n": 1}, "artifacts": [{"name": "doc", "type": "markdown", "value": "x"}]}""";

    [Fact]
    public void The_issue_example_gate_is_valid()
    {
        var result = Definitions.Parse(Definitions.WithSteps(Draft, """
            {"id": "score", "type": "transform", "with": {"value": 5}},
            {"id": "gate", "type": "approval", "dependsOn": ["draft", "score"],
             "with": {"message": "Send the alert for {{input.dealId}}?", "showArtifacts": ["draft/doc"],
                      "approvers": ["alice@example.com", "key:key_7f2a"], "quorum": 1,
                      "timeout": "P2D", "onTimeout": "escalate", "escalateTo": ["cfo@example.com"],
                      "allowSelfApproval": false, "autoApprove": "steps.score.output.value < 1000"},
             "notify": [{"connector": "slack", "with": {"url": "{{secrets.SLACK_HOOK}}"}}]}
            """));

        Assert.True(result.Definition is not null, string.Join("; ", result.Errors));
        Assert.Equal("slack", result.Definition.Steps[2].Notify![0].Connector);
    }

    [Theory]
    [InlineData("""{"quorum": 3, "approvers": ["a@example.com", "b@example.com"]}""", "/steps/1/with/quorum", "more than the 2 approver(s)")]
    [InlineData("""{"quorum": 0}""", "/steps/1/with/quorum", "from 1 to 20")]
    [InlineData("""{"timeout": "two days"}""", "/steps/1/with/timeout", "not a positive ISO 8601 duration")]
    [InlineData("""{"timeout": "P40D"}""", "/steps/1/with/timeout", "longer than the maximum")]
    [InlineData("""{"timeout": "PT1H", "onTimeout": "ignore"}""", "/steps/1/with/onTimeout", "reject, approve, escalate")]
    [InlineData("""{"onTimeout": "approve"}""", "/steps/1/with/onTimeout", "needs a timeout")]
    [InlineData("""{"timeout": "PT1H", "onTimeout": "escalate"}""", "/steps/1/with/escalateTo", "needs escalateTo")]
    [InlineData("""{"timeout": "PT1H", "onTimeout": "escalate", "escalateTo": ["key:key_12"]}""", "/steps/1/with/escalateTo/0", "cannot be escalated to")]
    [InlineData("""{"approvers": ["alice example"]}""", "/steps/1/with/approvers/0", "an identity is a person")]
    [InlineData("""{"approvers": ["a@example.com", "A@example.com"]}""", "/steps/1/with/approvers/1", "listed twice")]
    [InlineData("""{"showArtifacts": ["draft/missing"]}""", "/steps/1/with/showArtifacts/0", "declares no artifact 'missing'")]
    [InlineData("""{"showArtifacts": ["draftdoc"]}""", "/steps/1/with/showArtifacts/0", "\"step/name\"")]
    [InlineData("""{"showArtifacts": ["later/doc"]}""", "/steps/1/with/showArtifacts/0", "not upstream")]
    [InlineData("""{"autoApprove": "steps.later.output.x < 3"}""", "/steps/1/with/autoApprove", "not upstream")]
    [InlineData("""{"autoApprove": "input.amount <"}""", "/steps/1/with/autoApprove", "")]
    [InlineData("""{"allowSelfApproval": "yes"}""", "/steps/1/with/allowSelfApproval", "true or false")]
    [InlineData("""{"approvers": ["{{input.who}}"]}""", "/steps/1/with/approvers", "only message may hold a template")]
    [InlineData("""{"colour": "red"}""", "/steps/1/with/colour", "unknown property")]
    public void A_wrong_gate_is_refused_with_a_pointer_to_the_problem(string with, string pointer, string message)
    {
        var result = Definitions.Parse(Definitions.WithSteps(Draft,
            $$"""{"id": "gate", "type": "approval", "dependsOn": ["draft"], "with": {{with}}}""",
            """{"id": "later", "type": "transform", "dependsOn": ["gate"], "with": {"x": 1}}"""));

        WorkflowDefinitionParserTests.AssertError(result, pointer, message);
    }

    [Theory]
    [InlineData("""[{"connector": "http", "with": {"url": "https://x.example"}}]""", "/steps/1/notify/0/connector", "slack, email, webhook")]
    [InlineData("""[{"connector": "email", "with": {}}]""", "/steps/1/notify/0/connector", "not registered")]
    [InlineData("""[{"connector": "slack", "with": {}}]""", "/steps/1/notify/0/with/url", "url is required")]
    [InlineData("""[{"connector": "slack", "with": {"url": "{{secrets.X | nope}}"}}]""", "/steps/1/notify/0/with/url", "")]
    [InlineData("""{"connector": "slack"}""", "/steps/1/notify", "must be an array")]
    public void Notify_entries_are_checked_by_their_connector(string notify, string pointer, string message)
    {
        var result = Definitions.Parse(Definitions.WithSteps(Draft,
            $$"""{"id": "gate", "type": "approval", "dependsOn": ["draft"], "notify": {{notify}}}"""));

        WorkflowDefinitionParserTests.AssertError(result, pointer, message);
    }

    [Theory]
    [InlineData("""{"id": "gate", "type": "approval", "retry": {"maxAttempts": 2}}""", "/steps/0/retry", "takes no retry")]
    [InlineData("""{"id": "gate", "type": "approval", "timeout": "PT1H"}""", "/steps/0/timeout", "with.timeout")]
    [InlineData("""{"id": "t", "type": "transform", "with": {}, "notify": []}""", "/steps/0/notify", "belongs to approval steps")]
    public void Step_level_fields_that_do_not_fit_a_gate_are_refused(string step, string pointer, string message) =>
        WorkflowDefinitionParserTests.AssertError(Definitions.Parse(Definitions.WithSteps(step)), pointer, message);
}
