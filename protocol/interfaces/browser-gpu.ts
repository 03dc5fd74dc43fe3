/**
 * Browser process <-> GPU process.
 *
 * The browser process starts the GPU process, watches it, and brokers each tab's direct channel to
 * it (Chrome's EstablishGpuChannel); tabs then send their recorded paint operations straight to the
 * GPU process (see tab-gpu). Implemented by the GPU process: GpuService. By the browser: GpuHost.
 */
import { defineInterface, method } from '../rpc/interface.ts';
import { Struct } from '../rpc/schema.ts';
import { ChildProcessInfo } from './child-process-info.ts';

export const GpuService = defineInterface({
  name: 'GpuService',
  methods: {
    /** Describes the GPU process (pid, runtime, versions); the browser's first call after spawn. */
    describe: method(Struct({}), ChildProcessInfo),
  },
  events: {},
});

export const GpuHost = defineInterface({
  name: 'GpuHost',
  methods: {},
  events: {},
});
