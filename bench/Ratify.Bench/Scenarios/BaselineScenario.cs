using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Ratify.Bench.Scenarios;

/// <summary>The raw storage round trips every other figure is read against: one table upsert, one queue send+receive+delete.</summary>
internal sealed class BaselineScenario : IScenario
{
    public const string TableWriteKey = "baseline_table_write_ms";
    public const string QueueRoundTripKey = "baseline_queue_roundtrip_ms";
    private const string TransactionKey = "baseline_table_transaction_ms";
    private const string QueueSendKey = "baseline_queue_send_ms";
    private const string QueueReceiveKey = "baseline_queue_receive_ms";
    private const string QueueDeleteKey = "baseline_queue_delete_ms";
    private const int Samples = 50;
    private const int WarmUps = 5;

    public string Name => "baseline";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(TableWriteKey, "baseline: table write (upsert)", "ms"),
        new(QueueRoundTripKey, "baseline: queue send+receive+delete", "ms"),

        // The shape of one history commit (an event row added, the state row replaced), for reading the step time.
        new(TransactionKey, "baseline: table transaction (add + replace)", "ms", FigureTime.Milliseconds, InJson: false),
        new(QueueSendKey, "baseline: queue send alone", "ms", FigureTime.Milliseconds, InJson: false),
        new(QueueReceiveKey, "baseline: queue receive alone", "ms", FigureTime.Milliseconds, InJson: false),
        new(QueueDeleteKey, "baseline: queue delete alone", "ms", FigureTime.Milliseconds, InJson: false),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var name = "baseline" + Guid.NewGuid().ToString("N")[..12];
        var table = new TableClient(environment.ConnectionString, name);
        var queue = new QueueClient(environment.ConnectionString, name);
        await table.CreateIfNotExistsAsync(cancellation);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellation);
        try
        {
            var values = new Dictionary<string, double>
            {
                [TableWriteKey] = await MedianAsync(i => table.UpsertEntityAsync(SmallEntity(i), cancellationToken: cancellation)),
                [TransactionKey] = await MedianAsync(i => table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, EventRow(i)),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, SmallEntity(i)),
                ], cancellation)),
            };
            var queueTimes = await QueueTimesAsync(queue, cancellation);
            foreach (var (key, value) in queueTimes)
            {
                values[key] = value;
            }

            return values;
        }
        finally
        {
            await table.DeleteAsync();
            await queue.DeleteIfExistsAsync();
        }
    }

    private static TableEntity SmallEntity(int i) => new("p", "r" + (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
        ["Status"] = "Running",
        ["Count"] = i,
    };

    private static TableEntity EventRow(int i) => new("p", "e" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture))
    {
        ["Count"] = 3,
        ["D00"] = new byte[300],
    };

    /// <summary>The medians of a whole send+receive+delete and of each of its parts.</summary>
    private static async Task<Dictionary<string, double>> QueueTimesAsync(QueueClient queue, CancellationToken cancellation)
    {
        var send = new List<double>();
        var receive = new List<double>();
        var delete = new List<double>();
        for (var i = 0; i < WarmUps + Samples; i++)
        {
            var start = Measure.Now();
            await queue.SendMessageAsync("ping", cancellation);
            var sent = Measure.Now();
            var received = await queue.ReceiveMessageAsync(cancellationToken: cancellation);
            var got = Measure.Now();
            await queue.DeleteMessageAsync(received.Value.MessageId, received.Value.PopReceipt, cancellation);
            if (i >= WarmUps)
            {
                send.Add(Measure.MillisecondsBetween(start, sent));
                receive.Add(Measure.MillisecondsBetween(sent, got));
                delete.Add(Measure.MillisecondsSince(got));
            }
        }

        return new Dictionary<string, double>
        {
            [QueueRoundTripKey] = Percentiles.Median(send.Select((s, i) => s + receive[i] + delete[i])),
            [QueueSendKey] = Percentiles.Median(send),
            [QueueReceiveKey] = Percentiles.Median(receive),
            [QueueDeleteKey] = Percentiles.Median(delete),
        };
    }

    /// <summary>The median time of <paramref name="operation"/> after a warm-up; each call gets a fresh index.</summary>
    private static async Task<double> MedianAsync(Func<int, Task> operation)
    {
        for (var i = 0; i < WarmUps; i++)
        {
            await operation(i);
        }

        var times = new List<double>(Samples);
        for (var i = WarmUps; i < WarmUps + Samples; i++)
        {
            var index = i;
            times.Add(await Measure.MillisecondsAsync(() => operation(index)));
        }

        return Percentiles.Median(times);
    }
}
