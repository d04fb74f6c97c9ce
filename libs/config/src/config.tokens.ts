import { Inject } from '@nestjs/common';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

/** Injects the app's validated configuration; type the parameter with the app's own config type. */
export const InjectConfig = (): ParameterDecorator => Inject(PLATFORM_CONFIG);
