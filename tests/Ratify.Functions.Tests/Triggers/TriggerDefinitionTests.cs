using Ratify.Functions.Tests.Workflows;
using Ratify.Functions.Triggers;

namespace Ratify.Functions.Tests.Triggers;

public sealed class TriggerDefinitionTests
{
    [Theory]
    [InlineData("""{"type": "cron", "schedule": "0 */5 * * * *", "timeZone": "Europe/Berlin", "input": {"n": 1}, "catchUp": 3, "overlap": "allow"}""")]
    [InlineData("""{"type": "cron", "schedule": "*/5 * * * *"}""")]
    [InlineData("""{"type": "cron", "schedule": "@daily", "catchUp": "skip"}""")]
    [InlineData("""{"type": "webhook", "secret": "{{ secrets.HOOK }}", "input": {"id": "{{ body.deal.id }}", "all": "{{ body }}"}}""")]
    public void Parse_ValidTrigger_HasNoErrors(string trigger) =>
        Assert.Empty(Definitions.Parse(Workflow(trigger)).Errors);

    [Theory]
    [InlineData("""{"type": "cron"}""", "/triggers/0/schedule", "needs a schedule")]
    [InlineData("""{"type": "cron", "schedule": "* * *"}""", "/triggers/0/schedule", "not 3")]
    [InlineData("""{"type": "cron", "schedule": "0 0 25 * * *"}""", "/triggers/0/schedule", "invalid cron expression")]
    [InlineData("""{"type": "cron", "schedule": "* * * * *", "timeZone": "Europe/Nowhere"}""", "/triggers/0/timeZone", "unknown time zone")]
    [InlineData("""{"type": "cron", "schedule": "* * * * *", "catchUp": -1}""", "/triggers/0/catchUp", "0 to 100")]
    [InlineData("""{"type": "cron", "schedule": "* * * * *", "catchUp": "all"}""", "/triggers/0/catchUp", "\"skip\"")]
    [InlineData("""{"type": "cron", "schedule": "* * * * *", "overlap": "queue"}""", "/triggers/0/overlap", "\"allow\"")]
    [InlineData("""{"type": "cron", "schedule": "* * * * *", "every": 5}""", "/triggers/0/every", "unknown property")]
    [InlineData("""{"type": "cron", "schedule": "* * * * *", "input": {"n": "one"}}""", "/triggers/0/input/n", "")]
    [InlineData("""{"type": "webhook", "secret": "s3cret"}""", "/triggers/0/secret", "{{secrets.NAME}}")]
    [InlineData("""{"type": "webhook", "secret": "{{secrets.A}}", "input": {"x": "{{ input.y }}"}}""", "/triggers/0/input/x", "unknown name 'input'")]
    [InlineData("""{"type": "email"}""", "/triggers/0/type", "\"cron\" or \"webhook\"")]
    [InlineData("""5""", "/triggers/0", "must be an object")]
    public void Parse_BadTrigger_ReportsItsPointer(string trigger, string pointer, string message)
    {
        var errors = Definitions.Parse(Workflow(trigger)).Errors;

        Assert.Contains(errors, e => e.Pointer == pointer && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Cron_Defaults_AreUtcSkipAndSkip()
    {
        var definition = Definitions.Parse(Workflow("""{"type": "cron", "schedule": "* * * * *"}""")).Definition!;

        var trigger = Assert.Single(TriggerReader.Cron(definition));

        Assert.Equal(new CronTrigger(0, "* * * * *", "UTC", null, 0, CronTrigger.OverlapSkip), trigger);
    }

    private static string Workflow(string trigger) =>
        """{"id": "wf", "name": "x", "inputSchema": {"type": "object", "properties": {"n": {"type": "integer"}}}, "triggers": ["""
        + trigger + """], "steps": [{"id": "a", "type": "transform"}]}""";
}
