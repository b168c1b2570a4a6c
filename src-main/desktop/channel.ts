/** The one IPC channel name, shared by the main process and the preload (no dependencies: the preload bundles it). */
export const IPC_CHANNEL = 'ejournal';
