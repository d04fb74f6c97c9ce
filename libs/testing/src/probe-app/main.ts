import './instrument';
import { runApp } from '@app/bootstrap';
import { probeAppDefinition } from './probe.app';

// The probe app as its own process (spawnApp(PROBE_APP_MAIN)), for what only a process shows.
void runApp(probeAppDefinition);
