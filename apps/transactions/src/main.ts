import './instrument';
import { runApp } from '@app/bootstrap';
import { appDefinition } from './app.definition';

void runApp(appDefinition);
