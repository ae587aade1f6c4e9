global using AgentFirm.TestSupport;
