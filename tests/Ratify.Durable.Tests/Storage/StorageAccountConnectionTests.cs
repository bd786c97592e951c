using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Tests.Storage;

public sealed class StorageAccountConnectionTests
{
    [Fact]
    public void An_identity_based_AzureWebJobsStorage_points_the_hub_queues_tables_and_leases_at_that_account()
    {
        using var services = Services(new()
        {
            ["AzureWebJobsStorage:accountName"] = "ratifyprod",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["extensions:durableTask:hubName"] = "Prod",
            ["extensions:durableTask:storageProvider:partitionCount"] = "2",
        });

        var account = services.GetRequiredService<StorageAccount>();

        Assert.Equal(
            ["https://ratifyprod.queue.core.windows.net/prod-control-00", "https://ratifyprod.queue.core.windows.net/prod-control-01"],
            account.ControlQueues.Select(q => q.Uri.ToString()));
        Assert.Equal(new Uri("https://ratifyprod.queue.core.windows.net/prod-workitems"), account.WorkItemQueue.Uri);
        Assert.Equal(new Uri("https://ratifyprod.blob.core.windows.net/prod-leases"), account.Leases.Uri);
        Assert.Equal(new Uri("https://ratifyprod.table.core.windows.net"), account.Tables.Uri);
        Assert.Equal("ProdHistory", account.History.Name);
    }

    [Fact]
    public void A_connection_string_set_in_code_wins_over_the_settings()
    {
        using var services = Services(
            new() { ["AzureWebJobsStorage:accountName"] = "ratifyprod" },
            o => o.StorageConnectionString = "UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", services.GetRequiredService<StorageAccount>().Queues.AccountName);
    }

    [Fact]
    public void Incomplete_identity_settings_fail_validation_naming_the_missing_setting()
    {
        using var services = Services(new()
        {
            ["AzureWebJobsStorage:tableServiceUri"] = "https://acct.table.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DurableTaskOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage__queueServiceUri is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__blobServiceUri is missing", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, Action<DurableTaskOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddDurableTaskWorker(builder => builder.UseAzureStorage(configure));
        return services.BuildServiceProvider();
    }
}
