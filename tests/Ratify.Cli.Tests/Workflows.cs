namespace Ratify.Cli.Tests;

/// <summary>The workflow definitions the CLI tests run, each under an id the test chooses.</summary>
internal static class Workflows
{
    /// <summary>fetch → double → report: transforms that complete at once; amount must be a number.</summary>
    public static string Pair(string id) => $$$$"""
        {"id": "{{{{id}}}}", "name": "Pair",
         "inputSchema": {"type": "object", "required": ["dealId"],
                         "properties": {"dealId": {"type": "string"}, "amount": {"type": "number"}}},
         "steps": [
           {"id": "fetch", "type": "transform", "with": {"amount": "{{input.amount}}", "deal": "{{input.dealId}}"}},
           {"id": "double", "type": "transform", "dependsOn": ["fetch"], "with": {"value": "{{steps.fetch.output.amount * 2}}"}},
           {"id": "report", "type": "transform", "dependsOn": ["double"], "with": {"summary": "Deal {{input.dealId}}: {{steps.double.output.value}}"}}
         ]}
        """;

    /// <summary>A run that waits an hour on a durable timer: something to cancel.</summary>
    public static string Slow(string id) => $$$"""
        {"id": "{{{id}}}", "name": "Slow", "steps": [
           {"id": "first", "type": "transform", "with": {"n": 1}},
           {"id": "wait", "type": "delay", "dependsOn": ["first"], "with": {"duration": "PT1H"}}
         ]}
        """;

    /// <summary>draft → gate (an approval) → after.</summary>
    public static string Gate(string id) => $$$"""
        {"id": "{{{id}}}", "name": "Gate", "steps": [
          {"id": "draft", "type": "transform", "with": {"subject": "Deal {{input.dealId}}"}},
          {"id": "gate", "type": "approval", "dependsOn": ["draft"], "with": {"message": "Send {{input.dealId}}?"}},
          {"id": "after", "type": "transform", "dependsOn": ["gate"], "with": {"decision": "{{steps.gate.output.decision}}"}}
        ]}
        """;
}
