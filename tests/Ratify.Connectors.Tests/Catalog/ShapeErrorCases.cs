namespace Ratify.Connectors.Tests.Catalog;

/// <summary>
/// Arguments each built-in connector refuses at run time for their shape (not for their rendered values), with the pointer
/// the run time reports; shared with the app's tests, which feed them through workflow definition validation.
/// </summary>
public static class ShapeErrorCases
{
    /// <summary>(connector, arguments with a shape error, the pointer the run time reports it at).</summary>
    public static TheoryData<string, string, string> All => new()
    {
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t", "attachments": ["draft/note"]}""", "/attachments/0" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t", "attachments": {"step": "a"}}""", "/attachments" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t", "attachments": [{"name": "n"}]}""", "/attachments/0/step" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t", "attachments": [{"step": 1, "name": "n"}]}""", "/attachments/0/step" },
        { "email", """{"host": "127.0.0.1", "tls": "ssl", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t"}""", "/tls" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": [5], "subject": "s", "text": "t"}""", "/to" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "s"}""", "/text" },
        { "slack", """{"webhookUrl": "http://127.0.0.1/hook", "buttons": "x"}""", "/buttons" },
        { "slack", """{"webhookUrl": "http://127.0.0.1/hook", "buttons": [1]}""", "/buttons/0" },
        { "slack", """{"webhookUrl": "http://127.0.0.1/hook", "blocks": "x"}""", "/blocks" },
        { "slack", """{"webhookUrl": "http://127.0.0.1/hook"}""", "/text" },
        { "ai", """{"baseUrl": "http://127.0.0.1/v1", "model": "m", "messages": []}""", "/messages" },
        { "ai", """{"baseUrl": "http://127.0.0.1/v1", "model": "m", "messages": [{"role": "user"}]}""", "/messages" },
        { "ai", """{"baseUrl": "http://127.0.0.1/v1", "model": "m", "messages": "hi"}""", "/messages" },
        { "ai", """{"baseUrl": "http://127.0.0.1/v1", "model": "m", "messages": [{"role": "user", "content": "x"}], "responseSchema": 5}""", "/responseSchema" },
        { "http", """{"method": "FETCH", "url": "http://127.0.0.1/"}""", "/method" },
        { "http", """{"method": "GET", "url": "ftp://127.0.0.1/"}""", "/url" },
        { "webhook", """{"url": "http://127.0.0.1/", "payload": 5, "secret": 7}""", "/secret" },
        { "webhook", """{"url": "http://127.0.0.1/", "headers": {"X-Tag": [1]}}""", "/headers/X-Tag" },
        { "http", """{"method": "GET", "url": "http://127.0.0.1/", "headers": {"X-Tag": {"a": 1}}}""", "/headers/X-Tag" },
        { "http", """{"method": "GET", "url": "http://127.0.0.1/", "query": {"q": [{"a": 1}]}}""", "/query/q" },
        { "http", """{"method": "", "url": "http://127.0.0.1/"}""", "/method" },
        { "email", """{"host": "", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t"}""", "/host" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com, c@example.com", "to": "b@example.com", "subject": "s", "text": "t"}""", "/from" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "", "text": "t"}""", "/subject" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": 5}""", "/text" },
        { "email", """{"host": "127.0.0.1", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t", "attachments": [{"step": "", "name": "n"}]}""", "/attachments/0/step" },
        { "slack", """{"webhookUrl": "http://127.0.0.1/hook", "buttons": [{"text": {"a": 1}, "url": "http://127.0.0.1/x"}]}""", "/buttons/0/text" },
        { "slack", """{"webhookUrl": "http://127.0.0.1/hook", "buttons": [{"text": "Open", "url": "http://127.0.0.1/x", "style": 5}]}""", "/buttons/0/style" },
        { "slack", """{"token": "xoxb-1", "channel": "", "text": "hi", "apiBaseUrl": "http://127.0.0.1/api"}""", "/channel" },
        { "slack", """{"webhookUrl": "http://127.0.0.1/hook", "text": 5}""", "/text" },
        { "ai", """{"baseUrl": "http://127.0.0.1/v1", "model": "", "messages": [{"role": "user", "content": "x"}]}""", "/model" },
        { "ai", """{"baseUrl": "http://127.0.0.1/v1", "model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}""", "/temperature" },
        { "http", """{"method": "GET", "url": "http://127.0.0.1/", "timeout": 0}""", "/timeout" },
        { "webhook", """{"url": "http://127.0.0.1/", "timeout": "2d"}""", "/timeout" },
    };
}
