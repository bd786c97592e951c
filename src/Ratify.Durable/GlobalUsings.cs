// The programming model is Microsoft's Durable Task SDK; this assembly is a backend for it.
global using Microsoft.DurableTask;
global using Microsoft.DurableTask.Client;
