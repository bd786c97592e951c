using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace Ratify.Functions.Hosting;

/// <summary>Makes the ASP.NET Core host read its settings where the Functions host does: host.json, local.settings.json, port 7071.</summary>
public static class FunctionsHostConfiguration
{
    /// <summary>Where the host listens when neither <c>ASPNETCORE_URLS</c>, <c>--urls</c> nor Kestrel endpoints say otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>The runtime settings file, as in Functions.</summary>
    public const string HostJsonFileName = "host.json";

    /// <summary>The local settings file, as in Functions (optional, not committed).</summary>
    public const string LocalSettingsFileName = "local.settings.json";

    /// <summary>
    /// Adds <c>host.json</c> and the <c>Values</c> of <c>local.settings.json</c> (each from the content root, else the app's
    /// folder) below environment variables and the command line, which still override them; listens on
    /// <see cref="DefaultUrls"/> unless told otherwise.
    /// </summary>
    public static WebApplicationBuilder AddFunctionsHostConfiguration(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var contentRoot = builder.Environment.ContentRootPath;
        var sources = builder.Configuration.Sources;
        var index = IndexOfOverrides(sources);

        var hostJson = new JsonConfigurationSource { Path = Locate(contentRoot, HostJsonFileName), Optional = true };
        hostJson.ResolveFileProvider();
        sources.Insert(index, hostJson);

        var localSettings = new LocalSettingsConfigurationSource { Path = Locate(contentRoot, LocalSettingsFileName), Optional = true };
        localSettings.ResolveFileProvider();
        sources.Insert(index + 1, localSettings);

        if (NeedsDefaultUrls(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        return builder;
    }

    /// <summary>Whether nothing in <paramref name="configuration"/> says where to listen.</summary>
    internal static bool NeedsDefaultUrls(IConfiguration configuration) =>
        string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
        && string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
        && string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey])
        && !configuration.GetSection("Kestrel:Endpoints").Exists();

    private static string Locate(string contentRoot, string fileName)
    {
        var inContentRoot = Path.Combine(contentRoot, fileName);
        var beside = Path.Combine(AppContext.BaseDirectory, fileName);
        return File.Exists(inContentRoot) || !File.Exists(beside) ? Path.GetFullPath(inContentRoot) : beside;
    }

    // The unprefixed environment variables source; everything from it on (command line included) overrides the files.
    private static int IndexOfOverrides(IList<IConfigurationSource> sources)
    {
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                return i;
            }
        }

        return sources.Count;
    }
}
