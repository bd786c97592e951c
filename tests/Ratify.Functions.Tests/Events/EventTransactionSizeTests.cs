using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

/// <summary>Event transactions stay within the Table service's 4 MiB body limit, which Azurite enforces as the service does.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventTransactionSizeTests(AzuriteFixture azurite) : IDisposable
{
    private const string Tenant = "default";
    private const int Runs = 6;

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    private CancellationToken Timeout => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Theory(Timeout = 60_000)]
    [InlineData("letters")]
    [InlineData("quotes")]
    [InlineData("accents")]
    [InlineData("emoji")]
    [InlineData("controls")]
    public async Task The_size_bound_is_never_below_the_body_the_storage_client_sends(string kind)
    {
        var body = new BodyLength();
        var options = new TableClientOptions();
        options.AddPolicy(body, HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(azurite.ConnectionString, options).GetTableClient(TestNames.NewHub() + "Sizes");
        await table.CreateIfNotExistsAsync(Timeout);

        // Enough long rows that the quick bound passes the limit and the strings are measured.
        var text = Text(kind, 30_000);
        var actions = Enumerable.Range(0, 25).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D3}")
        {
            ["Data"] = text,
            ["Seq"] = (long)i,
            ["At"] = DateTimeOffset.UtcNow,
            ["Type"] = "step.completed",
        })).ToList();
        var fits = TableTransactionLimits.Fits(actions);

        try
        {
            await table.SubmitTransactionAsync(actions, Timeout);
            Assert.True(body.Last > 0);
        }
        catch (RequestFailedException e) when (e.Status == 413 && !fits)
        {
            // Refused as too large, as foretold.
        }

        Assert.True(TableTransactionLimits.BodyBytes(actions) >= body.Last, $"bound {TableTransactionLimits.BodyBytes(actions)} < sent {body.Last}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Events_too_large_for_one_transaction_commit_in_several_in_order_with_every_snapshot_exact()
    {
        var tables = new AppTables(new TableServiceClient(azurite.ConnectionString), TestNames.NewHub());
        var log = new RunEventLog(tables, new RunEventSignal(), TimeProvider.System, NullLogger<RunEventLog>.Instance);
        var runIds = Enumerable.Range(0, Runs).Select(_ => RunIds.New(DateTimeOffset.UtcNow)).ToList();
        string[] types = ["run.started", "step.completed", "step.completed", "run.completed"];

        // About 27,000 characters of quotes each (two rows of about 117 KB in a request body): any 18 of them pass 4 MiB.
        var appended = new List<Task<RunEvent>>();
        for (var phase = 0; phase < types.Length; phase++)
        {
            foreach (var runId in runIds)
            {
                appended.Add(log.AppendOrThrowAsync(Tenant, runId, types[phase], Data(phase), Timeout));
            }
        }

        await Task.WhenAll(appended);

        var feed = await log.ReadTenantAsync(Tenant, 0, Timeout);
        Assert.Equal(Enumerable.Range(1, Runs * types.Length).Select(c => (long)c), feed.Select(e => e.Cursor));
        foreach (var runId in runIds)
        {
            var events = await log.ReadRunAsync(Tenant, runId, 0, Timeout);
            Assert.Equal(types, events.Select(e => e.Type));
            Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Seq));
            Assert.Equal(events.Select(e => e.Cursor), feed.Where(e => e.RunId == runId).Select(e => e.Cursor));

            var (seq, head) = await log.ReadHeadAsync(Tenant, runId, Timeout);
            var folded = RunSnapshotText.Parse(RunSnapshotText.Write(events.Aggregate((RunSnapshot?)null, RunSnapshotFold.Apply)));
            Assert.Equal(4, seq);
            Assert.NotNull(head);
            Assert.Equal("completed", head.Status);
            Assert.Equal(JsonSerializer.Serialize(folded, RunSnapshotFold.Json), JsonSerializer.Serialize(head, RunSnapshotFold.Json));
        }

        // Commits share their time, so more than one time among the large events means they were split.
        Assert.True(feed.Select(e => e.At).Distinct().Count() > 1);
    }

    private static JsonObject Data(int phase)
    {
        var data = phase switch
        {
            0 => new JsonObject
            {
                ["status"] = "running", ["workflowId"] = "wf", ["version"] = 1, ["createdAt"] = DateTimeOffset.UtcNow, ["input"] = new JsonObject(),
                ["steps"] = new JsonArray("a", "b"),
            },
            1 or 2 => new JsonObject { ["stepId"] = phase == 1 ? "a" : "b", ["attempt"] = 1, ["output"] = new JsonObject { ["items"] = Quotes(3_000) } },
            _ => new JsonObject { ["status"] = "completed" },
        };
        data["padding"] = Quotes(phase is 1 or 2 ? 6_000 : 9_000);
        return data;
    }

    // ["","",…]: three characters a string, two of them quotes that a JSON writer escapes.
    private static JsonArray Quotes(int count) => [.. Enumerable.Range(0, count).Select(_ => (JsonNode?)JsonValue.Create(string.Empty))];

    private static string Text(string kind, int length) => kind switch
    {
        "letters" => new string('x', length),
        "quotes" => new string('"', length),
        "accents" => new string('é', length),
        "emoji" => string.Concat(Enumerable.Repeat("😀", length / 2)),
        _ => string.Concat(Enumerable.Range(0, length).Select(i => (char)(i % 32))),
    };

    /// <summary>Records the length of the last request body the client sent.</summary>
    private sealed class BodyLength : HttpPipelineSynchronousPolicy
    {
        public long Last { get; private set; }

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Content is { } content)
            {
                using var buffer = new MemoryStream();
                content.WriteTo(buffer, CancellationToken.None);
                Last = buffer.Length;
            }
        }
    }
}
