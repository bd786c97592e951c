using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ratify.Functions.Hosting;
using Ratify.Functions.Security;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class HostConfigurationTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("ratify-host-");

    [Fact]
    public void The_hub_name_comes_from_the_host_json_shipped_with_the_app()
    {
        var builder = CreateBuilder();

        Assert.Equal("Ratify", builder.Configuration["extensions:durableTask:hubName"]);
    }

    [Fact]
    public void A_host_json_in_the_content_root_wins_and_the_command_line_overrides_it()
    {
        File.WriteAllText(Path.Combine(_contentRoot.FullName, "host.json"), """{"extensions":{"durableTask":{"hubName":"FromHostJson"}}}""");

        Assert.Equal("FromHostJson", CreateBuilder().Configuration["extensions:durableTask:hubName"]);
        Assert.Equal("FromArgs", CreateBuilder("--extensions:durableTask:hubName=FromArgs").Configuration["extensions:durableTask:hubName"]);
    }

    [Fact]
    public void Local_settings_values_become_configuration_with_double_underscores_as_sections()
    {
        File.WriteAllText(
            Path.Combine(_contentRoot.FullName, "local.settings.json"),
            """{"IsEncrypted": false, "Values": {"AzureWebJobsStorage": "UseDevelopmentStorage=true", "Ratify__MaxRequestBodyBytes": 2048}}""");

        var configuration = CreateBuilder().Configuration;

        Assert.Equal("UseDevelopmentStorage=true", configuration["AzureWebJobsStorage"]);
        Assert.Equal("2048", configuration["Ratify:MaxRequestBodyBytes"]);
    }

    [Fact]
    public void The_host_listens_on_loopback_7071_unless_urls_are_given()
    {
        Assert.Equal("http://127.0.0.1:7071", CreateBuilder().Configuration["urls"]);
        Assert.Equal("http://127.0.0.1:5123", CreateBuilder("--urls=http://127.0.0.1:5123").Configuration["urls"]);
    }

    [Fact]
    public void Startup_fails_naming_the_key_when_the_storage_connection_string_is_not_one()
    {
        var error = StartupError<StorageConnectionOptions>("--AzureWebJobsStorage=not a connection string");

        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_fails_naming_the_key_when_the_bootstrap_admin_key_is_malformed()
    {
        var error = StartupError<ApiKeyOptions>("--Ratify:BootstrapAdminKey=hunter2");

        Assert.Contains("Ratify:BootstrapAdminKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_fails_naming_the_key_when_the_hub_name_is_invalid()
    {
        var error = StartupError<TaskHubOptions>("--extensions:durableTask:hubName=no-dashes");

        Assert.Contains("extensions:durableTask:hubName", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The validation error the app's start-up would report for these settings.</summary>
    private OptionsValidationException StartupError<TOptions>(params string[] args) where TOptions : class
    {
        var builder = CreateBuilder([$"--AzureWebJobsStorage={azurite.ConnectionString}", .. args]);
        builder.Services.AddRatifyStorage();
        builder.Services.AddRatifySecurity();
        using var app = builder.Build();
        return Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<TOptions>>().Value);
    }

    public void Dispose() => _contentRoot.Delete(recursive: true);

    private WebApplicationBuilder CreateBuilder(params string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot.FullName, Args = args })
            .AddFunctionsHostConfiguration();
}
