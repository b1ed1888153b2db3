// Package scripts holds no Go code: its tests run the developer entry points
// (`make run`, scripts/*.sh) as a newcomer would, and check how they behave.
package scripts
